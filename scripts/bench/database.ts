import { mkdirSync } from "node:fs";
import pg from "pg";
import { withConnection } from "../../lib/db/connection";
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


export async function benchDatabase(dataDir: string, serverUrl: string | undefined, name: string): Promise<BenchDatabase> {
  if (!serverUrl) {
    const embedded = await startEmbeddedDatabase({ dataDir });
    return { url: embedded.url, label: "embedded PGlite", stop: () => embedded.stop() };
  }
  mkdirSync(dataDir, { recursive: true });
  const drop = () => withConnection(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
  await drop();
  await withConnection(serverUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const version = await withConnection(url.toString(), async (client) => {
    await client.query("CREATE EXTENSION IF NOT EXISTS vector");
    return (await client.query<{ version: string }>("SELECT current_setting('server_version') AS version")).rows[0]!.version;
  });
  return { url: url.toString(), label: `PostgreSQL ${version}`, stop: async () => void (await drop()) };
}
