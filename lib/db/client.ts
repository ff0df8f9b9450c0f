import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "../env";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

/**
 * One Prisma client per process, over node-postgres. In development it is kept
 * on globalThis so hot reloads do not open a new pool each time.
 */
const holder = globalThis as unknown as { meshPortalDb?: PrismaClient };

export function createDb(connectionString: string, poolMax?: number): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolMax }) });
}

export function db(): PrismaClient {
  if (!holder.meshPortalDb) {
    const { DATABASE_URL, DATABASE_POOL_MAX } = env();
    if (!DATABASE_URL) {
      throw new Error(
        "DATABASE_URL is not set. Start the app with `npm run dev` or `npm start`, which run the embedded database, or set DATABASE_URL.",
      );
    }
    holder.meshPortalDb = createDb(DATABASE_URL, DATABASE_POOL_MAX);
  }
  return holder.meshPortalDb;
}

/** Makes `db()` return `client` (tests with an in-process database, scripts). */
export function setDb(client: PrismaClient | undefined): void {
  holder.meshPortalDb = client;
}
