import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DataDirInUseError, launchEmbeddedDatabase, PASSWORD_FILE, readOwner, startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";
import { loadMigrations } from "./migrate";
import { templateFile } from "./pglite-template";

const LOCK_FILE = "mesh-portal.lock";

/** Runs `sql` over the wire protocol, as every process but the owner does. */
async function sql<T>(url: string, text: string, params?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("startEmbeddedDatabase", () => {
  const dirs: string[] = [];
  const running: EmbeddedDatabase[] = [];

  async function freshDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "mesh-portal-embedded-"));
    dirs.push(dir);
    return dir;
  }

  async function start(dataDir: string): Promise<EmbeddedDatabase> {
    const database = await startEmbeddedDatabase({ dataDir });
    running.push(database);
    return database;
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map((database) => database.stop()));
  });

  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("owns its data directory: a second start fails while the first runs, data persists across restarts", async () => {
    const dataDir = await freshDir();
    const first = await start(dataDir);
    expect(first.created).toBe(true);
    expect(first.dataDir).toBe(path.resolve(dataDir));
    expect(first.address).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable$/);
    const password = (await readFile(path.join(dataDir, PASSWORD_FILE), "utf8")).trim();
    expect(first.url).toBe(first.address.replace("postgres@", `postgres:${password}@`));
    // The lock file tells where, never the password; readOwner adds it from the private file.
    const lock = JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), "utf8"));
    expect(lock).toEqual({ pid: process.pid, url: first.address });
    expect(readOwner(dataDir)).toEqual({ pid: process.pid, url: first.url });

    await sql(first.url, `CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)`);
    await sql(first.url, `INSERT INTO notes VALUES ($1, $2)`, [1, "kept"]);

    const second = startEmbeddedDatabase({ dataDir });
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    const error = (await second.catch((e: unknown) => e)) as DataDirInUseError;
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.message).toContain(first.address);
    expect(error.message).not.toContain(password);
    expect(error.owner).toEqual({ pid: process.pid, url: first.address });
    // The refused start left the owner's lock and server alone.
    expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), "utf8"))).toEqual(lock);
    expect(await sql(first.url, `SELECT body FROM notes`)).toEqual([{ body: "kept" }]);

    await first.stop();
    await first.stop(); // idempotent
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(readOwner(dataDir)).toBeUndefined();

    const reopened = await start(dataDir);
    expect(reopened.created).toBe(false);
    expect(await sql(reopened.url, `SELECT id, body FROM notes`)).toEqual([{ id: 1, body: "kept" }]);
    expect((await reopened.pglite.query(`SELECT count(*)::int AS n FROM notes`)).rows).toEqual([{ n: 1 }]);
  });

  it("takes over a stale lock left by a process that died", async () => {
    const dataDir = await freshDir();
    const deadPid = 999_999;
    expect(() => process.kill(deadPid, 0)).toThrow(); // no such process
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: deadPid, url: "" }));
    expect(readOwner(dataDir)).toBeUndefined();

    const database = await start(dataDir);
    expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), "utf8"))).toEqual({ pid: process.pid, url: database.address });
    expect(await sql(database.url, `SELECT 1 + 1 AS two`)).toEqual([{ two: 2 }]);
  });

  it("requires the password generated on first start: a wrong or missing one is refused", async () => {
    const dataDir = await freshDir();
    const database = await start(dataDir);
    const passwordFile = path.join(dataDir, PASSWORD_FILE);
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, "run"))).mode & 0o777).toBe(0o700);
    const port = new URL(database.address).port;
    for (const url of [`postgresql://nobody:wrong@127.0.0.1:${port}/postgres`, `postgresql://postgres:wrong@127.0.0.1:${port}/postgres`]) {
      await expect(sql(url, "SELECT 1"), url).rejects.toThrow(/password authentication failed/);
    }
    await expect(sql(`postgresql://postgres@127.0.0.1:${port}/postgres`, "SELECT 1")).rejects.toThrow(/password/);
    expect(await sql(database.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);

    // The same password after a restart; concurrent clients each authenticate.
    const password = await readFile(passwordFile, "utf8");
    await database.stop();
    const again = await start(dataDir);
    expect(await readFile(passwordFile, "utf8")).toBe(password);
    const results = await Promise.all(Array.from({ length: 8 }, (_, at) => sql<{ n: number }>(again.url, "SELECT $1::int AS n", [at])));
    expect(results.map(([row]) => row!.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("does not let a client that connects and says nothing hold up the others", async () => {
    const database = await start(await freshDir());
    const { port } = new URL(database.address);
    const idle = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => idle.once("connect", resolve));
    expect(await sql(database.url, "SELECT 2 AS two")).toEqual([{ two: 2 }]);
    idle.destroy();
  });

  it("creates missing parent folders of the data directory", async () => {
    const dataDir = path.join(await freshDir(), "nested", "deeper");
    const database = await start(dataDir);
    expect(database.created).toBe(true);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);
  });
});

describe("launchEmbeddedDatabase", () => {
  it("makes each new database from the migrated template of the installed PGlite (not by initdb), with pgvector", async () => {
    const dirs = await Promise.all([1, 2].map(() => mkdtemp(path.join(tmpdir(), "mesh-portal-launch-"))));
    const databases = await Promise.all(dirs.map((dataDir) => startEmbeddedDatabase({ dataDir })));
    try {
      expect(databases.map((database) => database.created)).toEqual([true, true]);
      const migrations = await loadMigrations();
      expect(existsSync(templateFile(migrations))).toBe(true);
      // The template comes migrated: every migration is recorded as applied.
      const applied = await sql<{ name: string }>(databases[0]!.url, `SELECT migration_name AS name FROM "_prisma_migrations" ORDER BY 1`);
      expect(applied.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
      // initdb gives every cluster its own system identifier; unpacked from one template, they share it.
      const identifiers = await Promise.all(databases.map((database) => sql<{ id: string }>(database.url, `SELECT system_identifier::text AS id FROM pg_control_system()`)));
      expect(identifiers[0]).toEqual(identifiers[1]);
      await sql(databases[0]!.url, `CREATE EXTENSION IF NOT EXISTS vector`);
      expect(await sql(databases[0]!.url, `SELECT '[1,2]'::vector <-> '[1,5]'::vector AS distance, current_user AS who`)).toEqual([{ distance: 3, who: "postgres" }]);
    } finally {
      await Promise.all(databases.map((database) => database.stop()));
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    }
  });

  it("makes a new database again on the next start when the one before stopped before open() (killed while migrating or seeding)", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "mesh-portal-launch-"));
    try {
      const first = await launchEmbeddedDatabase({ dataDir });
      await sql((await first.started).url, `CREATE TABLE half_seeded (id INT)`);
      await first.stop();

      const second = await launchEmbeddedDatabase({ dataDir });
      const { url, created } = await second.started;
      expect(created).toBe(true);
      expect(await sql(url, `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'half_seeded'`)).toEqual([{ n: 0 }]);
      await sql(url, `CREATE TABLE seeded (id INT)`);
      await second.open();
      await second.stop();

      // Opened once: from then on it is the database, kept as it is.
      const third = await launchEmbeddedDatabase({ dataDir });
      const reopened = await third.started;
      expect(reopened.created).toBe(false);
      expect(await sql(reopened.url, `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'seeded'`)).toEqual([{ n: 1 }]);
      await third.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("listens before the database exists, holds connections until open(), then passes them through", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "mesh-portal-launch-"));
    const launched = await launchEmbeddedDatabase({ dataDir });
    try {
      expect(readOwner(dataDir)).toEqual({ pid: process.pid, url: launched.url });
      await expect(startEmbeddedDatabase({ dataDir })).rejects.toBeInstanceOf(DataDirInUseError);

      // A client of the public address connects at once and waits for the database to be ready.
      let answered = false;
      const early = sql<{ notes: number }>(launched.url, `SELECT count(*)::int AS notes FROM notes`).finally(() => (answered = true));
      const { url, created } = await launched.started;
      expect(created).toBe(true);
      expect(url).not.toBe(launched.url);
      await sql(url, `CREATE TABLE notes (id INT PRIMARY KEY)`);
      await sql(url, `INSERT INTO notes VALUES (1), (2)`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(answered).toBe(false);

      await launched.open();
      expect(await early).toEqual([{ notes: 2 }]);
      expect(await sql(launched.url, `SELECT count(*)::int AS notes FROM notes`)).toEqual([{ notes: 2 }]);
    } finally {
      await launched.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(readOwner(dataDir)).toBeUndefined();
  });
});
