import { mkdirSync } from "node:fs";
import pg from "pg";
import { startEmbeddedDatabase } from "../../lib/db/embedded";

/**
 * The fresh database of one size: embedded PGlite in `dataDir` (the default),
 * or with --database-url a database created for the run on that PostgreSQL
 * server (pgvector available, the role allowed to create databases) and
 * dropped afterwards. `dataDir` also holds the run's auth secret.
 */
export interface BenchDatabase {
  url: string;
  label: string;
  stop(): Promise<void>;
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function benchDatabase(dataDir: string, serverUrl: string | undefined, name: string): Promise<BenchDatabase> {
  if (!serverUrl) {
    const embedded = await startEmbeddedDatabase({ dataDir });
    return { url: embedded.url, label: "embedded PGlite", stop: () => embedded.stop() };
  }
  mkdirSync(dataDir, { recursive: true });
  const drop = () => onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
  await drop();
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const version = await onServer(url.toString(), async (client) => {
    await client.query("CREATE EXTENSION IF NOT EXISTS vector");
    return (await client.query<{ version: string }>("SELECT current_setting('server_version') AS version")).rows[0]!.version;
  });
  return { url: url.toString(), label: `PostgreSQL ${version}`, stop: async () => void (await drop()) };
}
