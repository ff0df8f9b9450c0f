import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { productInputSchema } from "../../lib/validation/product";
import type { ProductDef } from "./context";
import { GENERATOR, log, ROOT } from "./settings";

/** The generated corpora (../shared/bench/gen-corpus.mjs) and how the bench reads them. */

/** Generates the deterministic corpus into `dir` unless it is there (`seed`: the generator's, else its default). */
export function ensureCorpus(dir: string, records: number, products: number, seed?: number) {
  if (existsSync(path.join(dir, "queries.json"))) return;
  log(`generating corpus: ${records} records, ${products} product(s) → ${path.relative(ROOT, dir)}`);
  rmSync(dir, { recursive: true, force: true });
  const seedArgs = seed === undefined ? [] : ["--seed", String(seed)];
  execFileSync(process.execPath, [GENERATOR, "--records", String(records), "--products", String(products), "--out", dir, ...seedArgs], {
    cwd: ROOT,
    stdio: ["ignore", 2, 2], // its line of output goes to stderr, with the progress
  });
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** The first `limit` lines of an NDJSON file, streamed in chunks. */
export async function* firstLines(file: string, limit: number): AsyncGenerator<Uint8Array> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let chunk = "";
  let taken = 0;
  for await (const line of lines) {
    if (taken === limit) break;
    chunk += line + "\n";
    taken++;
    if (chunk.length > 1 << 16) {
      yield Buffer.from(chunk);
      chunk = "";
    }
  }
  lines.close();
  if (chunk) yield Buffer.from(chunk);
}

/** The registration of a corpus product (`suffix` makes another address for it). */
export function productInput(def: ProductDef, suffix = "") {
  return productInputSchema.parse({
    domain: def.domain,
    name: def.name + suffix,
    title: def.title + (suffix ? ` (${suffix.slice(1)})` : ""),
    description: def.description,
    owner: def.owner,
    tags: def.tags,
    status: "active",
    schema: def.schema,
    sla: def.sla,
  });
}
