// lib/db: the only Prisma client and SQL of the portal (server-only), one module per aggregate.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "../env";
import { processSlot } from "../runtime/singleton";
import { PrismaClient, type Prisma } from "./generated/client";

export type Db = PrismaClient;

/** One Prisma client per process, over node-postgres (kept across hot reloads). */
const current = processSlot<PrismaClient>("db");

/**
 * How long a transaction may wait for a free connection, and run. Prisma's
 * defaults (2 s, 5 s) fail a request outright when the pool is busy (the
 * embedded database serves one query at a time): under load a question's
 * products were dropped from its answer with "Unable to start a transaction
 * in the given time". A busy pool makes a request slower, not wrong; each
 * statement keeps its own timeout (query plans, lib/db/query-plan.ts).
 */
export const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

export function createDb(connectionString: string, poolMax?: number): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolMax }), transactionOptions: TRANSACTION_OPTIONS });
}

export function db(): PrismaClient {
  let client = current.get();
  if (!client) {
    const { DATABASE_URL, DATABASE_POOL_MAX } = env();
    if (!DATABASE_URL) {
      throw new Error(
        "DATABASE_URL is not set. Start the app with `npm run dev` or `npm start`, which run the embedded database, or set DATABASE_URL.",
      );
    }
    current.set((client = createDb(DATABASE_URL, DATABASE_POOL_MAX)));
  }
  return client;
}

/** Makes `db()` return `client` (tests with an in-process database, scripts). */
export function setDb(client: PrismaClient | undefined): void {
  current.set(client);
}

/**
 * Runs `work` in a transaction holding the advisory lock of `key` (released with the transaction):
 * whichever server or job runs it, two holders of one key never overlap.
 */
export async function withAdvisoryLock<T>(key: string, work: (tx: Prisma.TransactionClient) => Promise<T>, options: { maxWait: number; timeout: number }): Promise<T> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
    return work(tx);
  }, options);
}

/**
 * Runs `ddl` (a `CREATE … IF NOT EXISTS` of the object `name`) under the advisory lock of the name:
 * IF NOT EXISTS is not safe against itself, and two sessions creating the same index at once fail
 * one of them with a duplicate key in pg_class (seen when products are indexed in parallel on
 * native Postgres). HNSW builds over many vectors outlast the default transaction timeout.
 */
export async function createIndexOnce(name: string, ddl: string): Promise<void> {
  await withAdvisoryLock(`create:${name}`, (tx) => tx.$executeRawUnsafe(ddl), { maxWait: TRANSACTION_OPTIONS.maxWait, timeout: 600_000 });
}
