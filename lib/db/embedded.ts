import "server-only";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { ensureSecretFile } from "../secret-file";
import { clusterTemplate } from "./pglite-template";
import { startPasswordGate } from "./wire-auth";

/**
 * The embedded default database: PGlite (Postgres in WASM) with pgvector,
 * persisted in a data directory. Two processes opening the same PGlite data
 * directory corrupt it, so exactly one process owns it, guarded by a lock
 * file; every other process reaches it over the Postgres wire protocol, with
 * the password generated on first start into the data directory.
 */

export interface EmbeddedDatabase {
  /** The connection URL, with the password: for this process and the processes it starts only. */
  url: string;
  /** The URL without the password: what may be logged and written to the lock file. */
  address: string;
  dataDir: string;
  /** True when this start created the database (first start). */
  created: boolean;
  pglite: PGlite;
  stop(): Promise<void>;
}

interface LockInfo {
  pid: number;
  /** Without the password (the lock file is readable by anyone who can list the folder). */
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
/** Present while a new database is being created (see serve). */
const CREATING_FILE = "pgdata.creating";
/** The database password, generated on first start, readable by the owner only. */
export const PASSWORD_FILE = "db-password";
/** Private folder (0700) of the Unix socket the database itself listens on. */
const SOCKET_DIR = "run";
/** Unix socket paths are limited to about 107 bytes; a longer one goes to a private temp folder. */
const MAX_SOCKET_PATH = 100;
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

/**
 * The live owner of `dataDir` and the URL to reach it, with the password from
 * the data directory (for the scripts of whoever may read that file).
 */
export function readOwner(dataDir: string): LockInfo | undefined {
  const resolved = path.resolve(dataDir);
  const state = readLock(resolved);
  if (state.kind !== "owned" || !state.info.url) return undefined;
  return { pid: state.info.pid, url: withPassword(state.info.url, readPassword(resolved)) };
}

function readPassword(dataDir: string): string | undefined {
  try {
    return readFileSync(path.join(dataDir, PASSWORD_FILE), "utf8").trim();
  } catch {
    return undefined;
  }
}

function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

/** Named as Postgres names its socket, so that a client given the folder as host finds it. */
const SOCKET_NAME = ".s.PGSQL.5432";

/** A private folder for the database's own socket; removed again if it is a temporary one. */
function socketFolder(dataDir: string): { socket: string; remove(): void } {
  const inDataDir = path.join(dataDir, SOCKET_DIR);
  if (path.join(inDataDir, SOCKET_NAME).length <= MAX_SOCKET_PATH) {
    mkdirSync(inDataDir, { recursive: true, mode: 0o700 });
    chmodSync(inDataDir, 0o700);
    const socket = path.join(inDataDir, SOCKET_NAME);
    // We hold the lock: a socket file left here is from a process that died.
    rmSync(socket, { force: true });
    return { socket, remove: () => rmSync(socket, { force: true }) };
  }
  const temporary = mkdtempSync(path.join(tmpdir(), "mesh-portal-db-"));
  return { socket: path.join(temporary, SOCKET_NAME), remove: () => rmSync(temporary, { recursive: true, force: true }) };
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

/**
 * Opens PGlite in `dataDir` and serves it on a Unix socket in a private folder.
 * A new database is unpacked from the cluster template (pglite-template.ts)
 * rather than made by initdb. Until its owner calls `ready()` (migrated, and
 * seeded where that is done), a marker file says it is being created: a
 * creation that did not finish (the process was killed) is thrown away and
 * made again on the next start, so no start sees half a database.
 */
async function serve(dataDir: string) {
  const pgDataDir = path.join(dataDir, PG_DATA);
  const marker = path.join(dataDir, CREATING_FILE);
  if (existsSync(marker)) rmSync(pgDataDir, { recursive: true, force: true });
  const created = !existsSync(pgDataDir);
  if (created) writeFileSync(marker, "");
  const pglite = await PGlite.create({ dataDir: pgDataDir, extensions: { vector }, ...(created ? { loadDataDir: await clusterTemplate() } : {}) });
  const folder = socketFolder(dataDir);
  const server = new PGLiteSocketServer({ db: pglite, path: folder.socket, maxConnections: 64 });
  try {
    await server.start();
  } catch (error) {
    await pglite.close();
    folder.remove();
    throw error;
  }
  return {
    socket: folder.socket,
    /** For this process only (the folder is private): the database itself, without the password check. */
    socketUrl: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(path.dirname(folder.socket))}`,
    created,
    pglite,
    ready: () => rmSync(marker, { force: true }),
    async stop() {
      await server.stop();
      await pglite.close();
      folder.remove();
    },
  };
}

const postgresUrl = (hostAndPort: string) => `postgresql://postgres@${hostAndPort}/postgres?sslmode=disable`;

export async function startEmbeddedDatabase(options: { dataDir: string; port?: number; host?: string }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = acquireLock(dataDir);
  try {
    const password = ensureSecretFile(path.join(dataDir, PASSWORD_FILE));
    // PGlite lets every client in: TCP clients pass the password gate first.
    const database = await serve(dataDir);
    database.ready();
    const gate = await startPasswordGate({ password, upstream: database.socket, host: options.host ?? "127.0.0.1", port: options.port ?? 0 });
    const address = postgresUrl(gate.address);
    lock.write(address);
    let stopped = false;
    return {
      url: withPassword(address, password),
      address,
      dataDir,
      created: database.created,
      pglite: database.pglite,
      async stop() {
        if (stopped) return;
        stopped = true;
        await gate.close();
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
  /** The address for every other process, with the password: it accepts connections at once and holds them until open(). */
  url: string;
  /** The same without the password, for logs. */
  address: string;
  dataDir: string;
  /** Resolves once the database exists, with the address its owner migrates and seeds it through before open(). */
  started: Promise<{ url: string; created: boolean }>;
  /** Lets the held connections and all later ones through to the database; a new one counts as created from then on (see serve). */
  open(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded database without keeping anyone waiting for it: its
 * address listens at once (with the password check), so the launcher can
 * start the Next.js server while the database is created (seconds on first
 * start), migrated and seeded through its private socket. Connections made
 * meanwhile wait, and nothing sees a database that is not ready.
 */
export async function launchEmbeddedDatabase(options: { dataDir: string; port?: number; host?: string }): Promise<LaunchedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = acquireLock(dataDir);
  let release!: (socket: string) => void;
  const ready = new Promise<string>((resolve) => (release = resolve));
  let gate: Awaited<ReturnType<typeof startPasswordGate>>;
  let password: string;
  try {
    password = ensureSecretFile(path.join(dataDir, PASSWORD_FILE));
    gate = await startPasswordGate({ password, upstream: ready, host: options.host ?? "127.0.0.1", port: options.port ?? 0 });
  } catch (error) {
    lock.release();
    throw error;
  }
  const address = postgresUrl(gate.address);
  lock.write(address);
  const database = serve(dataDir);
  // Callers see a failure through `started`; this keeps it from counting as unhandled meanwhile.
  database.catch(() => undefined);
  let stopped = false;
  return {
    url: withPassword(address, password),
    address,
    dataDir,
    started: database.then(({ socketUrl, created }) => ({ url: socketUrl, created })),
    open: async () => {
      const opened = await database;
      opened.ready();
      release(opened.socket);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await gate.close();
      await (await database.catch(() => undefined))?.stop();
      lock.release();
    },
  };
}
