// lib/db: the only Prisma client and SQL of the portal (server-only), one module per aggregate.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "../env";
import { processSlot } from "../runtime/singleton";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

/** One Prisma client per process, over node-postgres (kept across hot reloads). */
const current = processSlot<PrismaClient>("db");

export function createDb(connectionString: string, poolMax?: number): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolMax }) });
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
