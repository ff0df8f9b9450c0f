import "server-only";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * The embedded default database: PGlite (Postgres in WASM) with pgvector,
 * persisted in a data directory. Two processes opening the same PGlite data
 * directory corrupt it, so exactly one process owns it, guarded by a lock
 * file; every other process reaches it over the Postgres wire protocol.
 */

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  /** True when this start created the database (first start). */
  created: boolean;
  pglite: PGlite;
  stop(): Promise<void>;
}

interface LockInfo {
  pid: number;
  url: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockInfo,
  ) {
    super(
      `The embedded database in ${dataDir} is already in use by process ${owner.pid} (serving ${owner.url || "nothing yet: it is starting"}). ` +
        `Only one process may own it: stop that process, or set DATA_DIR to another folder, or DATABASE_URL to a Postgres server.`,
    );
    this.name = "DataDirInUseError";
  }
}

const LOCK_FILE = "mesh-portal.lock";
const PG_DATA = "pgdata";
const UNREADABLE_LOCK_GRACE_MS = 10_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

type LockState = { kind: "free" } | { kind: "owned"; info: LockInfo } | { kind: "stale" };

function readLock(dataDir: string): LockState {
  let content: string;
  try {
    content = readFileSync(path.join(dataDir, LOCK_FILE), "utf8");
  } catch {
    return { kind: "free" };
  }
  try {
    const info = JSON.parse(content) as LockInfo;
    return isAlive(info.pid) ? { kind: "owned", info } : { kind: "stale" };
  } catch {
    // Unreadable: an owner writing it this instant, or one that crashed while
    // writing it. Only the latter leaves it unreadable for long.
    const stat = statSync(path.join(dataDir, LOCK_FILE), { throwIfNoEntry: false });
    if (!stat) return { kind: "free" };
    return Date.now() - stat.mtimeMs > UNREADABLE_LOCK_GRACE_MS ? { kind: "stale" } : { kind: "owned", info: { pid: 0, url: "" } };
  }
}

/** The live owner of `dataDir` and the address it serves, if any. */
export function readOwner(dataDir: string): LockInfo | undefined {
  const state = readLock(path.resolve(dataDir));
  return state.kind === "owned" && state.info.url ? state.info : undefined;
}

/** Creates the lock file atomically; a stale lock (its owner died) is replaced. */
function acquireLock(dataDir: string): { write(url: string): void; release(): void } {
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockPath, JSON.stringify({ pid: process.pid, url: "" } satisfies LockInfo), { flag: "wx" });
      return {
        write: (url) => writeFileSync(lockPath, JSON.stringify({ pid: process.pid, url } satisfies LockInfo)),
        release: () => rmSync(lockPath, { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const state = readLock(dataDir);
      if (state.kind === "owned") throw new DataDirInUseError(dataDir, state.info);
      if (state.kind === "stale") rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

export async function startEmbeddedDatabase(options: { dataDir: string; port?: number; host?: string }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireLock(dataDir);
  try {
    const pgDataDir = path.join(dataDir, PG_DATA);
    const created = !existsSync(pgDataDir);
    const pglite = await PGlite.create({ dataDir: pgDataDir, extensions: { vector } });
    const host = options.host ?? "127.0.0.1";
    const server = new PGLiteSocketServer({ db: pglite, host, port: options.port ?? 0, maxConnections: 64 });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    lock.write(url);
    let stopped = false;
    return {
      url,
      dataDir,
      created,
      pglite,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await pglite.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
