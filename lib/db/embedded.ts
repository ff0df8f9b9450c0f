import "server-only";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
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

/** Opens PGlite in `dataDir` (creating it on first start) and serves it over the wire protocol. */
async function serve(dataDir: string, host: string, port: number) {
  const pgDataDir = path.join(dataDir, PG_DATA);
  const created = !existsSync(pgDataDir);
  const pglite = await PGlite.create({ dataDir: pgDataDir, extensions: { vector } });
  const server = new PGLiteSocketServer({ db: pglite, host, port, maxConnections: 64 });
  try {
    await server.start();
  } catch (error) {
    await pglite.close();
    throw error;
  }
  return {
    url: postgresUrl(server.getServerConn()),
    created,
    pglite,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}

const postgresUrl = (hostAndPort: string) => `postgresql://postgres@${hostAndPort}/postgres?sslmode=disable`;

export async function startEmbeddedDatabase(options: { dataDir: string; port?: number; host?: string }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireLock(dataDir);
  try {
    const database = await serve(dataDir, options.host ?? "127.0.0.1", options.port ?? 0);
    lock.write(database.url);
    let stopped = false;
    return {
      ...database,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        await database.stop();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** The embedded database as the launcher starts it: see launchEmbeddedDatabase. */
export interface LaunchedDatabase {
  /** The address for every other process: it accepts connections at once and holds them until open(). */
  url: string;
  dataDir: string;
  /** Resolves once the database exists, with the address its owner migrates and seeds it through before open(). */
  started: Promise<Pick<EmbeddedDatabase, "url" | "created">>;
  /** Lets the held connections and all later ones through to the database. */
  open(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded database without keeping anyone waiting for it: its
 * address listens at once, so the launcher can start the Next.js server (which
 * in development then compiles the first pages) while the database is
 * created (seconds on first start), migrated and seeded. Connections made
 * meanwhile wait, and nothing sees a database that is not ready.
 */
export async function launchEmbeddedDatabase(options: { dataDir: string; port?: number; host?: string }): Promise<LaunchedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const host = options.host ?? "127.0.0.1";
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireLock(dataDir);
  let gate: Awaited<ReturnType<typeof listenHeld>>;
  try {
    gate = await listenHeld(host, options.port ?? 0);
  } catch (error) {
    lock.release();
    throw error;
  }
  lock.write(gate.url);
  const database = serve(dataDir, host, 0);
  // Callers see a failure through `started`; this keeps it from counting as unhandled meanwhile.
  database.catch(() => undefined);
  let stopped = false;
  return {
    url: gate.url,
    dataDir,
    started: database.then(({ url, created }) => ({ url, created })),
    open: async () => gate.relayTo(Number(new URL((await database).url).port)),
    async stop() {
      if (stopped) return;
      stopped = true;
      await gate.close();
      await (await database.catch(() => undefined))?.stop();
      lock.release();
    },
  };
}

/**
 * A TCP listener that holds every connection (unread) until relayTo() names
 * the local port to pass them on to, byte for byte.
 */
async function listenHeld(host: string, port: number) {
  let target: number | undefined;
  const held = new Set<net.Socket>();
  const open = new Set<net.Socket>();
  const relay = (client: net.Socket) => {
    const upstream = net.connect({ host, port: target!, noDelay: true });
    open.add(upstream);
    upstream.on("close", () => open.delete(upstream));
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      from.on("error", () => to.destroy());
      from.on("close", () => to.destroy());
      from.pipe(to);
    }
  };
  const server = net.createServer({ noDelay: true }, (client) => {
    open.add(client);
    client.on("close", () => {
      open.delete(client);
      held.delete(client);
    });
    if (target === undefined) held.add(client);
    else relay(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: postgresUrl(`${host}:${address.port}`),
    relayTo(port: number) {
      target = port;
      for (const client of held) relay(client);
      held.clear();
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
