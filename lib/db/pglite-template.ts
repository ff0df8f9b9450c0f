import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { loadMigrations, migrate, type Migration } from "./migrate";

/**
 * The database a new embedded database starts from: a PGlite cluster with
 * pgvector and every migration in prisma/migrations applied, as the tarball
 * PGlite unpacks into a new data directory (`loadDataDir`). It is keyed by the
 * installed PGlite and pgvector and by the migrations' names and checksums, so
 * it is made once per install and again whenever a migration is added or
 * changed: by `npm install` (scripts/pglite-template.ts) or by the first
 * database created without it, into node_modules/.cache beside the package.
 * A new database then costs an unpack (about 1.3 CPU-seconds) instead of
 * initdb and the migrations (about 4.4 s).
 */

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.resolve(path.dirname(require.resolve(name)), "..");
const versionOf = (name: string) => (JSON.parse(readFileSync(path.join(packageDir(name), "package.json"), "utf8")) as { version: string }).version;

const cacheDir = () => path.join(packageDir("@electric-sql/pglite"), "..", "..", ".cache", "mesh-portal");

/** The template's file for the installed PGlite and pgvector and these migrations. */
export function templateFile(migrations: Migration[]): string {
  const key = createHash("sha256")
    .update(versionOf("@electric-sql/pglite-pgvector"))
    .update(migrations.map((migration) => `${migration.name}:${migration.checksum}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  return path.join(cacheDir(), `pglite-${versionOf("@electric-sql/pglite")}-${key}.tar`);
}

/**
 * The template for `migrations` (by default those in prisma/migrations), made first if there is none. Written whole or not at all
 * (processes may make it at once); templates of other versions or migrations
 * are removed. Where node_modules cannot be written, it is made again for each
 * new database.
 */
export async function clusterTemplate(migrations?: Migration[]): Promise<Blob> {
  migrations ??= await loadMigrations();
  const file = templateFile(migrations);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const scratch = await PGlite.create({ extensions: { vector } });
  let tarball: Blob;
  try {
    await migrate(scratch, migrations);
    tarball = await scratch.dumpDataDir("none");
  } finally {
    await scratch.close();
  }
  const partial = `${file}.${process.pid}.partial`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
    renameSync(partial, file);
    for (const other of readdirSync(path.dirname(file))) {
      if (/^pglite-.*\.tar$/.test(other) && other !== path.basename(file)) rmSync(path.join(path.dirname(file), other), { force: true });
    }
  } catch (error) {
    rmSync(partial, { force: true });
    console.warn(`Could not keep the embedded database template in ${file}: ${(error as Error).message}`);
  }
  return tarball;
}
