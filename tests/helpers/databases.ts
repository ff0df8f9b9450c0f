// tests/helpers: what integration tests share: test databases, users with API keys, the SSRF corpus.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { createDb, setDb, TRANSACTION_OPTIONS } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { PrismaClient } from "@/lib/db/generated/client";
import { loadMigrations, migrate, migrateUrl } from "@/lib/db/migrate";
import { dropVectorIndex } from "@/lib/db/retrieval";
import { flushRequestLog } from "@/lib/runtime/request-log";

/**
 * The databases integration tests run against: PGlite in-process, the
 * embedded PGlite server over the wire protocol (as the app uses it), and a
 * Postgres of your own when TEST_DATABASE_URL is set (skipped otherwise).
 * Test-only code; nothing in the app imports it.
 */

export interface DatabaseVariant {
  name: string;
  skip: boolean;
  /** Sets up the database, injects it with setDb(), returns the teardown. */
  start(): Promise<() => Promise<void>>;
}

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** Unique per test run: an external TEST_DATABASE_URL keeps the data of earlier runs. */
export const RUN = randomUUID().slice(0, 8);

let counter = 0;
/** A kebab-case domain no other test (or earlier run) uses. */
export const uniqueDomain = (label: string) => `${label}-${RUN}-${++counter}`;

/** Writes the buffered request log while the database is still there, then lets the client go. */
async function detach(client: PrismaClient): Promise<void> {
  await flushRequestLog();
  setDb(undefined);
  await client.$disconnect();
}

export const inProcess: DatabaseVariant = {
  name: "in-process (PGlite in memory, pglite-prisma-adapter)",
  skip: false,
  async start() {
    const pglite = new PGlite({ extensions: { vector } });
    await migrate({ query: (sql, params) => pglite.query(sql, params), exec: (sql) => pglite.exec(sql) }, await loadMigrations());
    const client = new PrismaClient({ adapter: new PrismaPGlite(pglite), transactionOptions: TRANSACTION_OPTIONS });
    setDb(client);
    return async () => {
      await detach(client);
      await pglite.close();
    };
  },
};

export const wireProtocol: DatabaseVariant = {
  name: "wire protocol (embedded PGlite server, adapter-pg)",
  skip: false,
  async start() {
    const dataDir = await mkdtemp(path.join(tmpdir(), "mesh-portal-test-"));
    const embedded = await startEmbeddedDatabase({ dataDir });
    await migrateUrl(embedded.url);
    const client = createDb(embedded.url, 1);
    setDb(client);
    return async () => {
      await detach(client);
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  },
};

export const externalPostgres: DatabaseVariant = {
  name: TEST_DATABASE_URL ? "external Postgres (TEST_DATABASE_URL)" : "external Postgres (skipped: TEST_DATABASE_URL is not set)",
  skip: !TEST_DATABASE_URL,
  async start() {
    const url = TEST_DATABASE_URL!;
    await migrateUrl(url);
    const client = createDb(url, 4);
    setDb(client);
    return async () => {
      // Remove what this run created: its domains all contain RUN, and its products' vector indexes.
      const mine = { product: { domain: { contains: `-${RUN}-` } } };
      for (const { id } of await client.product.findMany({ where: mine.product, select: { id: true } })) await dropVectorIndex(id);
      await client.record.deleteMany({ where: mine });
      await client.product.deleteMany({ where: mine.product });
      await client.auditEntry.deleteMany({ where: mine.product });
      await client.domain.deleteMany({ where: { name: { contains: `-${RUN}-` } } });
      await client.user.deleteMany({ where: { email: { contains: RUN } } });
      await detach(client);
    };
  },
};

export const databaseVariants: DatabaseVariant[] = [inProcess, wireProtocol, externalPostgres];
