import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

/**
 * The empty database cluster a new embedded database starts from: what
 * PGlite's initdb makes, as the tarball PGlite itself unpacks into a new data
 * directory after running initdb (`loadDataDir`). It depends only on the
 * installed PGlite, so it is made once per installed version, by `npm install`
 * (scripts/pglite-template.ts) or by the first database created without it,
 * into node_modules/.cache beside the package. A new data directory loaded
 * from it costs about 1.2–1.4 CPU-seconds instead of initdb's 5.1.
 */

const packageDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite")), "..");

/** The template's file for the installed PGlite. */
export function templateFile(): string {
  const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  return path.join(packageDir, "..", "..", ".cache", "mesh-portal", `pglite-${version}-initdb.tar`);
}

/**
 * The template, made first if there is none. Written whole or not at all
 * (processes may make it at once); where node_modules cannot be written, it is
 * made again for each new database.
 */
export async function clusterTemplate(): Promise<Blob> {
  const file = templateFile();
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const scratch = await PGlite.create();
  let tarball: Blob;
  try {
    tarball = await scratch.dumpDataDir("none");
  } finally {
    await scratch.close();
  }
  const partial = `${file}.${process.pid}.partial`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    console.warn(`Could not keep the embedded database template in ${file}: ${(error as Error).message}`);
  }
  return tarball;
}
