import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_EMBEDDING_MODEL } from "../../lib/ai/models";
import { HNSW_BUILD } from "../../lib/db/retrieval";
import { parseSizes } from "./stats";

/** The bench's command line, its fixed settings, and how it logs. */

export const SUITE_NAMES = ["ingest", "query", "engines", "peers", "federated", "health", "answers", "pages", "load"] as const;

export const { values: args } = parseArgs({
  options: {
    suite: { type: "string", default: "ingest,query" },
    sizes: { type: "string", default: "10000,100000" },
    "ingest-records": { type: "string", default: "10000" },
    queries: { type: "string", default: "200" },
    candidates: { type: "string", default: "40" },
    stats: { type: "string", default: "as-is,analyzed" },
    "hnsw-m": { type: "string" },
    "hnsw-ef-construction": { type: "string" },
    "federated-products": { type: "string", default: "20" },
    "database-url": { type: "string" },
    build: { type: "boolean", default: false },
    "postgres-url": { type: "string" },
    json: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (args.help) {
  console.log(`Usage: npm run bench -- [--suite ${SUITE_NAMES.join(",")}] [--sizes 10000,100000]
  --ingest-records M  ingest with embeddings is measured on the first M records (default 10000, at most the size)
  --queries Q         distinct questions per latency measurement, each asked once (default 200: queries.json's, then
                      questions written from a held-out corpus's records); the federated suite takes Q of its corpus' questions
  --candidates C,...  match_records candidates to measure (default 40, the app's; hnsw.ef_search = max(2C, 400), as match_records sets it)
  --stats as-is,analyzed  query with the statistics the app leaves, then after ANALYZE (bench step), or one of them
  --hnsw-m M --hnsw-ef-construction E   bench-only: build the product's HNSW index with these options
                      instead of createVectorIndex's (m=16, ef_construction=64), to try the knobs
  --federated-products P  federated suite: the size's records spread over P products (default 20)
  --database-url URL  run each size on a database created for it on this PostgreSQL server (pgvector
                      available, the role allowed to create databases; dropped afterwards) instead of embedded PGlite
  --build             pages and load suites: run next build even if .next holds a build
  --postgres-url URL  engines suite: the native PostgreSQL + pgvector to measure (a database bench_<pid> is created on it
                      and dropped); default: one started by ../shared/tools/postgres-pgvector.sh in .cache/bench/postgres
  --json              print the machine-readable summary of each size as the last line(s) of stdout
  --keep              keep the benchmark databases in .cache/bench/db-* (embedded PGlite only)`);
  process.exit(0);
}

const asked = args.suite.split(",").map((name) => name.trim()).filter(Boolean);
for (const name of asked) if (!(SUITE_NAMES as readonly string[]).includes(name)) throw new Error(`Unknown suite ${name}; suites: ${SUITE_NAMES.join(", ")}`);
/** In SUITE_NAMES' order whatever the command line's: ingest first, as the vectors it computes fill the cache the others read. */
export const suites = SUITE_NAMES.filter((name) => asked.includes(name));
export const sizes = parseSizes(args.sizes);
export const ingestRecords = Number(args["ingest-records"]);
export const queryCount = Number(args.queries);
export const candidateSettings = args.candidates.split(",").map(Number);
/** Bench-only HNSW build options, else the app's (createVectorIndex's). */
export const hnswOptions =
  args["hnsw-m"] || args["hnsw-ef-construction"]
    ? { m: Number(args["hnsw-m"] ?? HNSW_BUILD.m), efConstruction: Number(args["hnsw-ef-construction"] ?? HNSW_BUILD.efConstruction) }
    : undefined;
if (hnswOptions && !(Number.isInteger(hnswOptions.m) && Number.isInteger(hnswOptions.efConstruction))) throw new Error("HNSW options must be integers");
export const hnswLabel = hnswOptions
  ? `bench-only index options m=${hnswOptions.m}, ef_construction=${hnswOptions.efConstruction}`
  : `createVectorIndex, m=${HNSW_BUILD.m}, ef_construction=${HNSW_BUILD.efConstruction}`;
export const statsPhases = args.stats.split(",").map((phase) => phase.trim());
if (statsPhases.some((phase) => phase !== "as-is" && phase !== "analyzed")) throw new Error("--stats takes as-is and/or analyzed");
if (!Number.isInteger(ingestRecords) || ingestRecords < 1) throw new Error("--ingest-records must be a positive integer");
if (!Number.isInteger(queryCount) || queryCount < 1) throw new Error("--queries must be a positive integer");
if (queryCount < 100) console.error(`[bench] --queries ${queryCount}: fewer than 100 distinct questions, so the percentiles rest on few values`);
if (candidateSettings.some((value) => !Number.isInteger(value) || value < 10)) throw new Error("--candidates must be integers ≥ 10");

export const ROOT = process.cwd();
export const CACHE = path.join(ROOT, ".cache", "bench");
// The generator lives in the sibling folder "shared" of the repository.
export const GENERATOR = path.join("..", "shared", "bench", "gen-corpus.mjs");
export const MODEL = DEFAULT_EMBEDDING_MODEL;
export const K = 10;
export const WARMUP = 10;
export const STORE_BATCH = 500;
export const EMBED_CHUNK = 512;
const started = performance.now();

export const log = (message: string) => console.error(`[bench +${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`);
export const seconds = (from: number) => (performance.now() - from) / 1000;
export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
export const count = (value: number) => value.toLocaleString("en-US");
