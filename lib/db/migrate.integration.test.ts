import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";
import { loadMigrations, migrate, migrateUrl, type SqlSession } from "./migrate";

/**
 * The migration runner against real databases: PGlite in-process, and the
 * embedded server over the wire protocol (node-postgres, as migrateUrl uses).
 * Each test gets its own fresh database.
 */

interface Target {
  session: SqlSession;
  /** Set when the database is reachable over the wire protocol. */
  url?: string;
  close(): Promise<void>;
}

const targets: { name: string; open(): Promise<Target> }[] = [
  {
    name: "in-process PGlite",
    async open() {
      const pglite = new PGlite({ extensions: { vector } });
      return {
        session: { query: (sql, params) => pglite.query(sql, params), exec: (sql) => pglite.exec(sql) },
        close: () => pglite.close(),
      };
    },
  },
  {
    name: "wire protocol",
    async open() {
      const dataDir = await mkdtemp(path.join(tmpdir(), "mesh-portal-migrate-"));
      const embedded: EmbeddedDatabase = await startEmbeddedDatabase({ dataDir });
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      // A new embedded database comes migrated (pglite-template.ts); these tests start from an empty one.
      await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
      return {
        session: { query: (sql, params) => client.query(sql, params), exec: (sql) => client.query(sql) },
        url: embedded.url,
        async close() {
          await client.end();
          await embedded.stop();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
];

async function tableExists(session: SqlSession, table: string): Promise<boolean> {
  const { rows } = await session.query("SELECT to_regclass($1) IS NOT NULL AS present", [`public.${table}`]);
  return (rows[0] as { present: boolean }).present;
}

async function appliedNames(session: SqlSession): Promise<string[]> {
  const { rows } = await session.query(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
  );
  return (rows as { migration_name: string }[]).map((row) => row.migration_name);
}

/** A migrations folder of `{ name: sql }`. */
async function migrationsDir(migrations: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "mesh-portal-sql-"));
  await writeMigrations(dir, migrations);
  return dir;
}

async function writeMigrations(dir: string, migrations: Record<string, string>): Promise<void> {
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(path.join(dir, name), { recursive: true });
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
}

describe.each(targets)("migrate — $name", (target) => {
  let db: Target;
  const dirs: string[] = [];

  beforeAll(async () => {
    db = await target.open();
  });

  afterAll(async () => {
    await db?.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function tempMigrations(migrations: Record<string, string>) {
    const dir = await migrationsDir(migrations);
    dirs.push(dir);
    return dir;
  }

  // The tests share one database and run in order: the project's schema first.
  it("applies the project's migrations once, recorded with their checksums", async () => {
    const migrations = await loadMigrations();
    expect(await migrate(db.session, migrations)).toEqual(migrations.map((m) => m.name));
    expect(await tableExists(db.session, "products")).toBe(true);
    expect(await tableExists(db.session, "records")).toBe(true);
    const { rows } = await db.session.query(`SELECT extname FROM pg_extension WHERE extname = 'vector'`);
    expect(rows).toHaveLength(1);

    const recorded = await db.session.query(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(recorded.rows).toEqual(
      migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum, applied_steps_count: 1 })),
    );

    // Second run: nothing to do, nothing recorded twice.
    expect(await migrate(db.session, migrations)).toEqual([]);
    expect(await appliedNames(db.session)).toEqual(migrations.map((m) => m.name));
  });

  it("applies only the new migrations of a later run", async () => {
    const dir = await tempMigrations({ "20270101000000_widgets": `CREATE TABLE "widgets" ("id" INT PRIMARY KEY);` });
    const project = await loadMigrations();
    const extra = await loadMigrations(dir);
    expect(await migrate(db.session, [...project, ...extra])).toEqual(["20270101000000_widgets"]);
    expect(await tableExists(db.session, "widgets")).toBe(true);
    expect(await migrate(db.session, [...project, ...extra])).toEqual([]);
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const dir = await tempMigrations({ "20270201000000_gadgets": `CREATE TABLE "gadgets" ("id" INT);` });
    await migrate(db.session, await loadMigrations(dir));
    await writeMigrations(dir, { "20270201000000_gadgets": `CREATE TABLE "gadgets" ("id" BIGINT);` });
    await expect(migrate(db.session, await loadMigrations(dir))).rejects.toThrow(
      "Migration 20270201000000_gadgets was changed after it was applied (checksum differs).",
    );
  });

  it("rolls a failing migration back entirely and does not record it", async () => {
    const dir = await tempMigrations({
      "20270301000000_good": `CREATE TABLE "good_one" ("id" INT);`,
      "20270302000000_bad": `CREATE TABLE "half_done" ("id" INT);
INSERT INTO "half_done" VALUES (1);
CREATE INDEX "half_done_idx" ON "half_done" ("id");
SELECT * FROM "no_such_table";`,
      "20270303000000_after": `CREATE TABLE "never_reached" ("id" INT);`,
    });
    const migrations = await loadMigrations(dir);
    await expect(migrate(db.session, migrations)).rejects.toThrow(
      /^Migration 20270302000000_bad failed and was rolled back: .*no_such_table/,
    );
    expect(await tableExists(db.session, "good_one")).toBe(true);
    expect(await tableExists(db.session, "half_done")).toBe(false);
    expect(await tableExists(db.session, "never_reached")).toBe(false);
    const names = await appliedNames(db.session);
    expect(names).toContain("20270301000000_good");
    expect(names).not.toContain("20270302000000_bad");
    const { rows } = await db.session.query(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = $1`, [
      "20270302000000_bad",
    ]);
    expect(rows).toEqual([{ n: 0 }]);

    // The session is usable and the advisory lock was released: once fixed, it applies.
    await writeMigrations(dir, { "20270302000000_bad": `CREATE TABLE "half_done" ("id" INT);` });
    expect(await migrate(db.session, await loadMigrations(dir))).toEqual(["20270302000000_bad", "20270303000000_after"]);
    expect(await tableExists(db.session, "half_done")).toBe(true);
  });

  it.runIf(target.name === "wire protocol")("migrateUrl applies pending migrations over a connection URL", async () => {
    const dir = await tempMigrations({ "20270401000000_by_url": `CREATE TABLE "by_url" ("id" INT);` });
    expect(await migrateUrl(db.url!, dir)).toEqual(["20270401000000_by_url"]);
    expect(await migrateUrl(db.url!, dir)).toEqual([]);
    expect(await tableExists(db.session, "by_url")).toBe(true);
  });
});

describe("the records' event time (20261201600000_record_event_time)", () => {
  it("is filled in for the records stored before it, from each product's event-time field", async () => {
    const pglite = new PGlite({ extensions: { vector } });
    const session: SqlSession = { query: (sql, params) => pglite.query(sql, params), exec: (sql) => pglite.exec(sql) };
    try {
      const migrations = await loadMigrations();
      const before = migrations.filter((migration) => migration.name < "20261201600000_record_event_time");
      await migrate(session, before);
      await pglite.exec(`
        INSERT INTO domains (name, updated_at) VALUES ('events', now());
        INSERT INTO products (id, domain, name, title, owner, schema, sla, updated_at) VALUES
          ('00000000-0000-0000-0000-000000000001', 'events', 'timed', 'Timed', 'a@example.com', '{}', '{"eventTimeField": "at"}', now()),
          ('00000000-0000-0000-0000-000000000002', 'events', 'untimed', 'Untimed', 'a@example.com', '{}', '{}', now());
        INSERT INTO records (product_id, key, data, updated_at) VALUES
          ('00000000-0000-0000-0000-000000000001', 'a', '{"at": "2026-03-04T08:12:00.000Z"}', now()),
          ('00000000-0000-0000-0000-000000000001', 'b', '{}', now()),
          ('00000000-0000-0000-0000-000000000002', 'c', '{"at": "2026-03-04T08:12:00.000Z"}', now());`);
      expect(await migrate(session, migrations)).toContain("20261201600000_record_event_time");
      const { rows } = await pglite.query<{ key: string; event_at: Date | null }>("SELECT key, event_at FROM records ORDER BY key");
      expect(rows).toEqual([
        { key: "a", event_at: new Date("2026-03-04T08:12:00.000Z") },
        { key: "b", event_at: null },
        { key: "c", event_at: null },
      ]);
    } finally {
      await pglite.close();
    }
  });
});
