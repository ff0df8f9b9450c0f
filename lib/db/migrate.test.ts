import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MIGRATIONS_DIR, loadMigrations, migrate, type Migration, type SqlSession } from "./migrate";

/**
 * The runner's bookkeeping without a database: a fake session records every
 * statement. The SQL itself is exercised in migrate.integration.test.ts.
 */

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function fakeSession(options: { applied?: { migration_name: string; checksum: string }[]; failOn?: string } = {}) {
  const log: string[] = [];
  const session: SqlSession = {
    async query(sql, params) {
      // The first three words, and the parameters other than a random id.
      const statement = sql.trim().split(/\s+/).slice(0, 3).join(" ");
      const shown = statement.startsWith("INSERT") ? params?.slice(1) : params;
      log.push(shown ? `${statement} ${JSON.stringify(shown)}` : statement);
      if (statement.startsWith("SELECT migration_name")) return { rows: options.applied ?? [] };
      return { rows: [] };
    },
    async exec(sql) {
      log.push(sql.startsWith("CREATE TABLE IF NOT EXISTS") ? "create migrations table" : sql);
      if (options.failOn && sql === options.failOn) throw new Error("syntax error at or near \"oops\"");
    },
  };
  return { session, log };
}

const migration = (name: string, sql: string): Migration => ({ name, sql, checksum: sha256(sql) });

describe("loadMigrations", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mesh-migrations-"));
    for (const [name, sql] of Object.entries({ "20261201000000_second": "SELECT 2;", "20261101000000_first": "SELECT 1;" })) {
      await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, name, "migration.sql"), sql);
    }
    await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads one migration per folder, sorted by name, ignoring files", async () => {
    const migrations = await loadMigrations(dir);
    expect(migrations.map((m) => m.name)).toEqual(["20261101000000_first", "20261201000000_second"]);
    expect(migrations[0]).toEqual({ name: "20261101000000_first", sql: "SELECT 1;", checksum: sha256("SELECT 1;") });
  });

  it("finds the project's migrations with Prisma-compatible sha256 checksums", async () => {
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations[0]!.name).toBe("20261125000000_init");
    const sql = await readFile(path.join(DEFAULT_MIGRATIONS_DIR, "20261125000000_init", "migration.sql"), "utf8");
    expect(migrations[0]!.checksum).toBe(sha256(sql));
    expect(migrations[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("fails when a folder has no migration.sql", async () => {
    await mkdir(path.join(dir, "20261301000000_empty"));
    try {
      await expect(loadMigrations(dir)).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(path.join(dir, "20261301000000_empty"), { recursive: true });
    }
  });
});

describe("migrate (bookkeeping)", () => {
  const first = migration("001_first", "CREATE TABLE a (id int);");
  const second = migration("002_second", "CREATE TABLE b (id int);");

  it("applies each pending migration in its own transaction, under the advisory lock", async () => {
    const { session, log } = fakeSession();
    await expect(migrate(session, [first, second])).resolves.toEqual(["001_first", "002_second"]);
    expect(log).toEqual([
      "SELECT pg_advisory_lock($1) [7263001]",
      "create migrations table",
      "SELECT migration_name, checksum",
      "BEGIN",
      first.sql,
      `INSERT INTO "_prisma_migrations" ${JSON.stringify([first.checksum, first.name])}`,
      "COMMIT",
      "BEGIN",
      second.sql,
      `INSERT INTO "_prisma_migrations" ${JSON.stringify([second.checksum, second.name])}`,
      "COMMIT",
      "SELECT pg_advisory_unlock($1) [7263001]",
    ]);
  });

  it("skips migrations already applied with the same checksum", async () => {
    const { session, log } = fakeSession({ applied: [{ migration_name: first.name, checksum: first.checksum }] });
    await expect(migrate(session, [first, second])).resolves.toEqual(["002_second"]);
    expect(log).not.toContain(first.sql);
    expect(log).toContain(second.sql);
  });

  it("refuses a migration changed after it was applied, and releases the lock", async () => {
    const { session, log } = fakeSession({ applied: [{ migration_name: first.name, checksum: sha256("something else") }] });
    await expect(migrate(session, [first, second])).rejects.toThrow(
      "Migration 001_first was changed after it was applied (checksum differs).",
    );
    expect(log).not.toContain("BEGIN");
    expect(log.at(-1)).toBe("SELECT pg_advisory_unlock($1) [7263001]");
  });

  it("rolls back a failing migration, stops there and releases the lock", async () => {
    const { session, log } = fakeSession({ failOn: second.sql });
    const third = migration("003_third", "CREATE TABLE c (id int);");
    await expect(migrate(session, [first, second, third])).rejects.toThrow(
      /^Migration 002_second failed and was rolled back: syntax error at or near "oops"$/,
    );
    expect(log.slice(-4)).toEqual(["BEGIN", second.sql, "ROLLBACK", "SELECT pg_advisory_unlock($1) [7263001]"]);
    expect(log).not.toContain(third.sql);
    expect(log.filter((line) => line.startsWith("INSERT"))).toHaveLength(1);
  });
});
