/**
 * `npm run bench -- [--suite ingest,query] [--sizes 10000,100000] [options]`
 *
 * Benchmarks in named suites, each run per corpus size on a fresh embedded
 * database (PGlite + pgvector in .cache/bench/, reached over the Postgres wire
 * protocol as the app does). Prints a Markdown table per size (stdout; progress
 * goes to stderr) and writes .cache/bench/results-<date>.json.
 *
 * Suites:
 *   ingest  bulk load without embeddings; ingest with embeddings (upload until
 *           semantic search is ready) on the first --ingest-records records;
 *           HNSW build time over all records of the size
 *   query   semantic query latency (end to end, hybrid SQL, vector SQL) and
 *           recall@10 of the HNSW search against an exact scan
 *   federated  the size's records spread over --federated-products products:
 *           federated query pipeline latency (discovery + parallel retrieval)
 *           and time to the first streamed token of the chat route
 *   answers the answer engine on the product's records without embeddings:
 *           value catalog build, then planner + executor latency for counts,
 *           averages, extremes and filtered lists written from its catalog
 * Later benchmarks add a function to SUITES.
 *
 * The corpus comes from ../shared/bench/gen-corpus.mjs (deterministic), one
 * product holding all N records. Embeddings of the searched product are read
 * from a content-addressed cache (.cache/bench/vectors-*) and only the missing
 * ones are computed (see scripts/bench/vector-cache.ts); the output says how
 * many came from the cache. Ingest throughput is always measured through the
 * app's own indexing, never from the cache.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { embed, embedMany } from "ai";
import { DEFAULT_EMBEDDING_MODEL, embeddingModel, embeddingModelInfo } from "../lib/ai/models";
import { ensureAuthSecret } from "../lib/auth/bootstrap";
import { createPasswordUser } from "../lib/auth/users";
import { findActor, insertDomain, type Actor } from "../lib/db/accounts";
import { createDb, db, setDb } from "../lib/db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { migrateUrl } from "../lib/db/migrate";
import { getProduct, getProductId } from "../lib/db/products";
import { executePlan } from "../lib/db/query-plan";
import { refreshValueCatalog, valueCatalog } from "../lib/db/value-catalog";
import type { ValueCatalog } from "../lib/mesh/plan/catalog";
import { planQuestion } from "../lib/mesh/plan/planner";
import { recordsByKeys } from "../lib/db/records";
import { createVectorIndex, exactNearest, highlights, matchRecords, pendingEmbeddings, storeEmbeddings } from "../lib/db/retrieval";
import { configureSemanticSearch, findSemanticSearch } from "../lib/db/semantic-search";
import { env, resetEnvCache } from "../lib/env";
import { registerProduct } from "../lib/services/products";
import { loadRecords } from "../lib/services/records";
import { requestIndexing } from "../lib/search/indexer";
import { federatedQuery } from "../lib/search/federated";
import { answerChat } from "../lib/services/chat";
import { disableSemanticSearch, enableSemanticSearch, querySemantic, semanticSearchStatus } from "../lib/services/semantic-search";
import { productInputSchema } from "../lib/validation/product";
import { markdownTable, mean, parseSizes, summarize, tieAwareRecallAtK, recallAtK, type LatencySummary } from "./bench/stats";
import { VectorCache } from "./bench/vector-cache";

// ---------------------------------------------------------------- arguments

const { values: args } = parseArgs({
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
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

const SUITES: Record<string, (ctx: SizeContext) => Promise<void>> = { ingest: ingestSuite, query: querySuite, federated: federatedSuite, answers: answersSuite };

if (args.help) {
  console.log(`Usage: npm run bench -- [--suite ${Object.keys(SUITES).join(",")}] [--sizes 10000,100000]
  --ingest-records M  ingest with embeddings is measured on the first M records (default 10000, at most the size)
  --queries Q         timed queries per latency measurement (default 200; the product's questions, repeated)
  --candidates C,...  match_records candidates to measure (default 40, the app's; hnsw.ef_search = max(2C, 400), as match_records sets it)
  --stats as-is,analyzed  query with the statistics the app leaves, then after ANALYZE (bench step), or one of them
  --hnsw-m M --hnsw-ef-construction E   bench-only: build the product's HNSW index with these options
                      instead of createVectorIndex's (m=16, ef_construction=64), to try the knobs
  --federated-products P  federated suite: the size's records spread over P products (default 20)
  --keep              keep the benchmark databases in .cache/bench/db-*`);
  process.exit(0);
}

const suites = args.suite.split(",").map((name) => name.trim()).filter(Boolean);
for (const name of suites) if (!SUITES[name]) throw new Error(`Unknown suite ${name}; suites: ${Object.keys(SUITES).join(", ")}`);
const sizes = parseSizes(args.sizes);
const ingestRecords = Number(args["ingest-records"]);
const queryCount = Number(args.queries);
const candidateSettings = args.candidates.split(",").map(Number);
const hnswOptions =
  args["hnsw-m"] || args["hnsw-ef-construction"]
    ? { m: Number(args["hnsw-m"] ?? 16), efConstruction: Number(args["hnsw-ef-construction"] ?? 64) }
    : undefined;
if (hnswOptions && !(Number.isInteger(hnswOptions.m) && Number.isInteger(hnswOptions.efConstruction))) throw new Error("HNSW options must be integers");
const hnswLabel = hnswOptions
  ? `bench-only index options m=${hnswOptions.m}, ef_construction=${hnswOptions.efConstruction}`
  : "createVectorIndex, m=16, ef_construction=64";
const statsPhases = args.stats.split(",").map((phase) => phase.trim());
if (statsPhases.some((phase) => phase !== "as-is" && phase !== "analyzed")) throw new Error("--stats takes as-is and/or analyzed");
if (!Number.isInteger(ingestRecords) || ingestRecords < 1) throw new Error("--ingest-records must be a positive integer");
if (!Number.isInteger(queryCount) || queryCount < 1) throw new Error("--queries must be a positive integer");
if (candidateSettings.some((value) => !Number.isInteger(value) || value < 10)) throw new Error("--candidates must be integers ≥ 10");

const ROOT = process.cwd();
const CACHE = path.join(ROOT, ".cache", "bench");
// The generator lives in the sibling folder "shared" of the repository.
const GENERATOR = path.join("..", "shared", "bench", "gen-corpus.mjs");
const MODEL = DEFAULT_EMBEDDING_MODEL;
const K = 10;
/** hnsw.ef_search as match_records sets it for `candidates`. */
const efSearchOf = (candidates: number) => Math.max(candidates * 2, 400);
const WARMUP = 10;
const STORE_BATCH = 500;
const EMBED_CHUNK = 512;
const started = performance.now();

const log = (message: string) => console.error(`[bench +${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`);
const seconds = (from: number) => (performance.now() - from) / 1000;
const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
const count = (value: number) => value.toLocaleString("en-US");

// ---------------------------------------------------------------- results

interface Result {
  suite: string;
  metric: string;
  /** As printed. */
  value: string;
  note: string;
  /** Numbers for the JSON file. */
  data: Record<string, unknown>;
}

interface ProductDef {
  domain: string;
  name: string;
  title: string;
  description: string;
  owner: string;
  tags: string[];
  schema: { primaryKey: string; fields: { name: string }[] };
  sla: Record<string, unknown>;
  semanticSearchFields: string[];
}

interface SizeContext {
  size: number;
  corpusDir: string;
  product: ProductDef;
  recordsFile: string;
  results: Result[];
  cache: VectorCache;
  dimensions: number;
  /** The admin the benchmark acts as (the app's use cases check rights). */
  actor?: Actor;
  /** Memoised steps shared by suites. */
  loaded?: Promise<{ productId: string; seconds: number }>;
  searchable?: Promise<Searchable>;
}

interface Searchable {
  productId: string;
  fromCache: number;
  computed: number;
  computeSeconds: number;
  storeSeconds: number;
  hnswSeconds: number;
}

function record(ctx: SizeContext, result: Result) {
  ctx.results.push(result);
  log(`${result.metric}: ${result.value}${result.note ? ` (${result.note})` : ""}`);
}

// ---------------------------------------------------------------- corpus

function ensureCorpus(dir: string, records: number, products: number) {
  if (existsSync(path.join(dir, "queries.json"))) return;
  log(`generating corpus: ${records} records, ${products} product(s) → ${path.relative(ROOT, dir)}`);
  rmSync(dir, { recursive: true, force: true });
  execFileSync(process.execPath, [GENERATOR, "--records", String(records), "--products", String(products), "--out", dir], {
    cwd: ROOT,
    stdio: ["ignore", 2, 2], // its line of output goes to stderr, with the progress
  });
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** The first `limit` lines of an NDJSON file, streamed in chunks. */
async function* firstLines(file: string, limit: number): AsyncGenerator<Uint8Array> {
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

function productInput(def: ProductDef, suffix = "") {
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

// ---------------------------------------------------------------- shared steps

/** An admin account and the product's domain, on the fresh benchmark database. */
async function benchAdmin(domain: string, dataDir: string): Promise<Actor> {
  // Accounts are better-auth's: it needs a signing secret, as the launcher provides.
  process.env.BETTER_AUTH_SECRET = ensureAuthSecret(dataDir);
  resetEnvCache();
  await insertDomain({ name: domain, description: "Benchmark corpus" });
  const user = await createPasswordUser({ email: "bench@bench.local", name: "Benchmark", password: randomUUID(), role: "admin" });
  return (await findActor(user.id))!;
}

/** Registers the benchmark product and bulk loads all records of the size, without embeddings. */
function ensureLoaded(ctx: SizeContext) {
  ctx.loaded ??= (async () => {
    const product = await registerProduct(ctx.actor!, productInput(ctx.product));
    log(`bulk loading ${count(ctx.size)} records into ${ctx.product.domain}/${ctx.product.name}`);
    const start = performance.now();
    const report = await loadRecords(ctx.actor!, ctx.product, createReadStream(ctx.recordsFile), "application/x-ndjson");
    const took = seconds(start);
    if (report.accepted !== ctx.size) throw new Error(`Loaded ${report.accepted} of ${ctx.size} records (${report.rejectedTotal} rejected)`);
    return { productId: product.id, seconds: took };
  })();
  return ctx.loaded;
}

/** Embeds the texts not in the cache (each distinct text once) and adds them to it. */
async function fillCache(ctx: SizeContext, texts: string[]): Promise<{ computed: number; seconds: number }> {
  const missing = [...new Set(texts.filter((text) => !ctx.cache.get(text)))];
  if (missing.length === 0) return { computed: 0, seconds: 0 };
  log(`embedding ${count(missing.length)} distinct texts missing from the vector cache`);
  const model = embeddingModel(MODEL);
  const start = performance.now();
  for (let offset = 0; offset < missing.length; offset += EMBED_CHUNK) {
    const values = missing.slice(offset, offset + EMBED_CHUNK);
    const { embeddings } = await embedMany({ model, values, maxRetries: 2 });
    ctx.cache.add(values.map((text, i) => ({ text, vector: embeddings[i]! })));
    const done = Math.min(missing.length, offset + EMBED_CHUNK);
    if ((offset / EMBED_CHUNK) % 10 === 9 || done === missing.length) {
      log(`  ${count(done)} / ${count(missing.length)} embedded (${fmt(done / seconds(start))} texts/s)`);
    }
  }
  return { computed: missing.length, seconds: seconds(start) };
}

/** The product with every record embedded (vectors from the cache, missing ones computed) and its HNSW index built. */
function ensureSearchable(ctx: SizeContext) {
  ctx.searchable ??= (async () => {
    const { productId } = await ensureLoaded(ctx);
    const fields = ctx.product.semanticSearchFields;
    // The texts exactly as the app embeds them (computed by the database).
    const records = await pendingEmbeddings(productId, fields, ctx.size);
    const cachedBefore = records.filter((item) => ctx.cache.get(item.content)).length;
    const computed = await fillCache(ctx, records.map((item) => item.content));
    const config = await configureSemanticSearch(productId, { model: MODEL, dimensions: ctx.dimensions, fields, total: ctx.size });
    log(`storing ${count(records.length)} vectors (${count(cachedBefore)} records' vectors from the cache)`);
    let start = performance.now();
    for (let offset = 0; offset < records.length; offset += STORE_BATCH) {
      const items = records.slice(offset, offset + STORE_BATCH).map((item) => ({
        ...item,
        embedding: Array.from(ctx.cache.get(item.content)!, (x) => Number(x.toPrecision(9))),
      }));
      if (!(await storeEmbeddings(productId, config.generation, MODEL, items))) throw new Error("storeEmbeddings wrote nothing");
    }
    const storeSeconds = seconds(start);
    log(`building the HNSW index over ${count(records.length)} vectors`);
    start = performance.now();
    if (hnswOptions) await createBenchIndex(productId, ctx.dimensions, hnswOptions);
    else await createVectorIndex(productId, ctx.dimensions);
    const hnswSeconds = seconds(start);
    // The app's indexer finds nothing pending and the index in place: marks it ready.
    await requestIndexing(productId);
    const status = await semanticSearchStatus(ctx.actor!, ctx.product);
    if (status.status !== "ready") throw new Error(`Semantic search is ${status.status}: ${status.error ?? ""}`);
    return { productId, fromCache: cachedBefore, computed: computed.computed, computeSeconds: computed.seconds, storeSeconds, hnswSeconds };
  })();
  return ctx.searchable;
}

// ---------------------------------------------------------------- suite: ingest

async function ingestSuite(ctx: SizeContext) {
  const suite = "ingest";
  const { seconds: loadSeconds } = await ensureLoaded(ctx);
  record(ctx, {
    suite,
    metric: "Bulk load without embeddings",
    value: `${count(Math.round(ctx.size / loadSeconds))} records/s`,
    note: `loadRecords, NDJSON streamed: ${count(ctx.size)} records in ${fmt(loadSeconds)} s`,
    data: { records: ctx.size, seconds: loadSeconds, recordsPerSecond: ctx.size / loadSeconds },
  });

  // Ingest with embeddings, through the app: upload, enable semantic search, wait until ready.
  const sample = Math.min(ctx.size, ingestRecords);
  const def = ctx.product;
  const name = `${def.name}-ingest`;
  const product = await registerProduct(ctx.actor!, productInput(def, "-ingest"));
  const workers = env().EMBEDDING_WORKERS ?? Math.min(availableParallelism(), 4);
  log(`ingest with embeddings: ${count(sample)} records, ${workers} embedding worker(s)`);
  const start = performance.now();
  const report = await loadRecords(ctx.actor!, { domain: def.domain, name }, firstLines(ctx.recordsFile, sample), "application/x-ndjson");
  if (report.accepted !== sample) throw new Error(`Loaded ${report.accepted} of ${sample} records`);
  const loaded = performance.now();
  await enableSemanticSearch(ctx.actor!, { domain: def.domain, name }, { fields: def.semanticSearchFields });
  const progress = setInterval(() => {
    void semanticSearchStatus(ctx.actor!, { domain: def.domain, name }).then(
      (status) => log(`  indexing: ${count(status.indexed)} / ${count(status.total)} (${fmt(status.indexed / seconds(loaded))} records/s)`),
      () => {},
    );
  }, 30_000);
  try {
    await requestIndexing(product.id);
  } finally {
    clearInterval(progress);
  }
  const ready = performance.now();
  const status = await semanticSearchStatus(ctx.actor!, { domain: def.domain, name });
  if (status.status !== "ready") throw new Error(`Indexing ended ${status.status}: ${status.error ?? ""}`);
  const total = (ready - start) / 1000;
  const indexing = (ready - loaded) / 1000;
  const subset = sample === ctx.size ? `all ${count(sample)} records` : `measured on the first ${count(sample)} of ${count(ctx.size)} records`;
  record(ctx, {
    suite,
    metric: "Ingest with embeddings (upload → searchable)",
    value: `${fmt(sample / total)} records/s`,
    note: `${subset}; ${fmt(total)} s = load ${fmt((loaded - start) / 1000)} s + embed & HNSW ${fmt(indexing)} s; ${MODEL}, ${workers} worker thread(s)`,
    data: { records: sample, seconds: total, loadSeconds: (loaded - start) / 1000, indexSeconds: indexing, recordsPerSecond: sample / total, workers },
  });
  record(ctx, {
    suite,
    metric: "Embedding + HNSW only (enable → ready)",
    value: `${fmt(sample / indexing)} records/s`,
    note: subset,
    data: { records: sample, seconds: indexing, recordsPerSecond: sample / indexing },
  });

  // Keep what was just computed, then free the table for the measurements.
  await exportToCache(ctx, product.id);
  await disableSemanticSearch(ctx.actor!, { domain: def.domain, name });

  recordVectorSource(ctx, await ensureSearchable(ctx), suite);
}

/** How the searched product got its vectors and index (once per size, by whichever suite comes first). */
function recordVectorSource(ctx: SizeContext, searchable: Searchable, suite: string) {
  if (ctx.results.some((result) => result.metric === "Vectors of the searched product")) return;
  record(ctx, {
    suite,
    metric: `HNSW build (${hnswLabel})`,
    value: `${fmt(searchable.hnswSeconds)} s`,
    note: `${count(ctx.size)} vectors of ${ctx.dimensions} d`,
    data: { vectors: ctx.size, seconds: searchable.hnswSeconds },
  });
  const computedNote = searchable.computed
    ? `; ${count(searchable.computed)} distinct texts embedded by the bench in ${fmt(searchable.computeSeconds)} s (${fmt(searchable.computed / searchable.computeSeconds)} texts/s, model only, not an ingest measurement)`
    : "";
  record(ctx, {
    suite,
    metric: "Vectors of the searched product",
    value: `${count(searchable.fromCache)} of ${count(ctx.size)} from cache`,
    note: `stored with storeEmbeddings in ${fmt(searchable.storeSeconds)} s${computedNote}`,
    data: { ...searchable },
  });
}

/** Copies a product's stored embeddings into the vector cache (exact float32 values). */
async function exportToCache(ctx: SizeContext, productId: string) {
  let after = "";
  let added = 0;
  for (;;) {
    const rows = await db().$queryRaw<{ key: string; content: string; v: string }[]>`
      SELECT key, content, embedding::text AS v FROM record_embeddings
      WHERE product_id = ${productId}::uuid AND key > ${after} ORDER BY key LIMIT 2000`;
    if (rows.length === 0) break;
    const fresh = rows.filter((row) => !ctx.cache.get(row.content));
    ctx.cache.add(fresh.map((row) => ({ text: row.content, vector: row.v.slice(1, -1).split(",").map(Number) })));
    added += fresh.length;
    after = rows.at(-1)!.key;
  }
  if (added) log(`added ${count(added)} vectors computed during ingest to the cache`);
}

// ---------------------------------------------------------------- suite: answers

/**
 * Questions an analyst could ask of any product, written from its value catalog: counts by a
 * categorical value, averages and extremes of its numbers, filtered lists with a threshold.
 */
function catalogQuestions(title: string, catalog: ValueCatalog): string[] {
  const categorical = catalog.fields.filter((field) => field.values?.length).slice(0, 3);
  const numeric = catalog.fields.filter((field) => (field.type === "integer" || field.type === "number") && typeof field.min === "number");
  const words = (name: string) => name.replace(/_/g, " ");
  const questions: string[] = [];
  for (const field of categorical) {
    for (const { value } of field.values!.slice(0, 3)) {
      questions.push(`How many ${title} have ${words(field.name)} ${value}?`);
      for (const number of numeric.slice(0, 2)) {
        const middle = Math.round(((number.min as number) + (number.max as number)) / 2);
        questions.push(`What is the average ${words(number.name)} of the ${title} with ${words(field.name)} ${value}?`);
        questions.push(`Which ${title} with ${words(field.name)} ${value} have ${words(number.name)} under ${middle}?`);
      }
    }
  }
  for (const number of numeric) questions.push(`Which ${title} record has the highest ${words(number.name)}?`);
  return questions;
}

async function answersSuite(ctx: SizeContext) {
  const suite = "answers";
  const { productId } = await ensureLoaded(ctx);
  const product = await getProduct(ctx.product.domain, ctx.product.name);
  let start = performance.now();
  const catalog = await refreshValueCatalog(productId, product.schema);
  record(ctx, {
    suite,
    metric: "Value catalog build (after a load)",
    value: `${fmt(seconds(start) * 1000, 0)} ms`,
    note: `${count(ctx.size)} records, ${catalog.fields.length} fields; stored, read per question in one lookup`,
    data: { seconds: seconds(start) },
  });
  start = performance.now();
  for (let i = 0; i < 20; i++) await valueCatalog(productId, product.schema);
  const read = (performance.now() - start) / 20;
  record(ctx, { suite, metric: "Value catalog read (stored)", value: `${fmt(read)} ms`, note: "mean of 20", data: { ms: read } });

  const own = catalogQuestions(product.title, catalog);
  if (own.length === 0) throw new Error(`${ctx.product.domain}/${ctx.product.name} has no categorical or number fields to ask about`);
  const questions = Array.from({ length: queryCount }, (_, i) => own[i % own.length]!);
  const planTimes: number[] = [];
  const totalTimes: number[] = [];
  const operations = new Map<string, number>();
  for (const question of questions.slice(0, WARMUP)) await executePlan(productId, planQuestion(question, product, catalog).plan, product.schema);
  for (const question of questions) {
    const begin = performance.now();
    const { plan } = planQuestion(question, product, await valueCatalog(productId, product.schema));
    planTimes.push(performance.now() - begin);
    await executePlan(productId, plan, product.schema);
    totalTimes.push(performance.now() - begin);
    operations.set(plan.operation, (operations.get(plan.operation) ?? 0) + 1);
  }
  const planned = summarize(planTimes);
  const total = summarize(totalTimes);
  const mix = [...operations].map(([operation, n]) => `${operation} ${n}`).join(", ");
  record(ctx, { suite, metric: "Planner (planQuestion)", value: `${fmt(planned.p50, 2)} / ${fmt(planned.p95, 2)} ms`, note: `p50 / p95 of ${planned.count}; ${own.length} distinct questions`, data: { ...planned } });
  record(ctx, {
    suite,
    metric: "Catalog + planner + executor (one product)",
    value: `${fmt(total.p50)} / ${fmt(total.p95)} ms`,
    note: `p50 / p95 of ${total.count} questions (${mix}); target p95 ≤ 50 ms; no semantic ranking (records without embeddings)`,
    data: { ...total, operations: Object.fromEntries(operations) },
  });
}

// ---------------------------------------------------------------- suite: federated

/**
 * The federated pipeline over many products: discovery picks 3 of them, each
 * is queried in parallel (lib/search/federated.ts), then the chat route
 * streams the offline composer's answer. Vectors come from the cache like the
 * query suite's; every product is indexed (HNSW, discovery centroid) by the app.
 */
async function federatedSuite(ctx: SizeContext) {
  const suite = "federated";
  const productCount = Number(args["federated-products"]);
  if (!Number.isInteger(productCount) || productCount < 2) throw new Error("--federated-products must be an integer ≥ 2");
  const dir = path.join(CACHE, `corpus-${ctx.size}-x${productCount}`);
  ensureCorpus(dir, ctx.size, productCount);
  const defs = readJson<ProductDef[]>(path.join(dir, "products.json"));
  const questions = readJson<{ question: string; product: string }[]>(path.join(dir, "queries.json"));
  // Suffixed: the other suites' product may have the same address.
  const suffix = "-fed";
  const start = performance.now();
  for (const def of defs) {
    const name = def.name + suffix;
    await insertDomain({ name: def.domain, description: "Benchmark corpus" }).catch(() => undefined);
    const product = await registerProduct(ctx.actor!, productInput(def, suffix));
    const file = path.join(dir, "records", `${def.domain}--${def.name}.ndjson`);
    const report = await loadRecords(ctx.actor!, { domain: def.domain, name }, createReadStream(file), "application/x-ndjson");
    const pending = await pendingEmbeddings(product.id, def.semanticSearchFields, report.accepted);
    await fillCache(ctx, pending.map((item) => item.content));
    const config = await configureSemanticSearch(product.id, { model: MODEL, dimensions: ctx.dimensions, fields: def.semanticSearchFields, total: report.accepted });
    for (let offset = 0; offset < pending.length; offset += STORE_BATCH) {
      const items = pending.slice(offset, offset + STORE_BATCH).map((item) => ({ ...item, embedding: Array.from(ctx.cache.get(item.content)!, Number) }));
      await storeEmbeddings(product.id, config.generation, MODEL, items);
    }
    // The app's indexer finds every vector in place: builds the HNSW index, the discovery centroid, marks it ready.
    await requestIndexing(product.id);
    log(`  ${def.domain}/${name}: ${count(report.accepted)} records searchable`);
  }
  record(ctx, {
    suite,
    metric: "Products set up",
    value: `${productCount} × ${count(Math.round(ctx.size / productCount))} records`,
    note: `registered, loaded, vectors stored (cache), HNSW and discovery built in ${fmt(seconds(start))} s`,
    data: { products: productCount, records: ctx.size, seconds: seconds(start) },
  });

  // Separate question sets: the app caches question embeddings, so the chat's
  // questions are ones the pipeline run has not embedded yet (repeats within a
  // set still hit that cache, as they would in the app).
  const all = questions.map((entry) => entry.question);
  const timed = all.slice(0, Math.min(queryCount, Math.floor(all.length / 2)));
  const chatQuestions = all.slice(timed.length, 2 * timed.length);
  for (const question of all.slice(-WARMUP)) await federatedQuery({ question, k: 5 });
  const total: number[] = [];
  const discovery: number[] = [];
  const retrieval: number[] = [];
  for (const question of timed) {
    const begin = performance.now();
    const result = await federatedQuery({ question, k: 5 });
    total.push(performance.now() - begin);
    discovery.push(result.timings.discoveryMs);
    retrieval.push(result.timings.retrievalMs);
  }
  const row = (metric: string, values: number[], asked: string[], note: string) => {
    const summary = summarize(values);
    const distinct = new Set(asked).size;
    record(ctx, {
      suite,
      metric,
      value: `${fmt(summary.p50)} / ${fmt(summary.p95)} ms`,
      note: `p50 / p95 of ${summary.count} questions (${distinct} distinct); ${note}`,
      data: { ...summary, distinct },
    });
  };
  row("Federated query pipeline (federatedQuery)", total, timed, "discovery picks 3 products, each queried in parallel (k=5)");
  row("  of which: discovery", discovery, timed, "embed the question + match_products");
  row("  of which: parallel retrieval", retrieval, timed, "3 products' hybrid searches");

  let client = 0;
  const firstToken: number[] = [];
  for (const question of chatQuestions) {
    const begin = performance.now();
    const response = await answerChat(ctx.actor!, { id: "bench", messages: [{ id: "q", role: "user", parts: [{ type: "text", text: question }] }] }, `bench-${client++}`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    let at: number | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
      if (at === undefined && seen.includes('"type":"text-delta"')) at = performance.now() - begin;
    }
    if (at === undefined) throw new Error(`No text streamed for "${question}"`);
    firstToken.push(at);
  }
  row("Chat: time to the first streamed token (answerChat)", firstToken, chatQuestions, "offline answer composer; includes the federated query");
}

// ---------------------------------------------------------------- suite: query

interface QueryVector {
  label: string;
  embedding: number[];
}

async function querySuite(ctx: SizeContext) {
  const suite = "query";
  const searchable = await ensureSearchable(ctx);
  recordVectorSource(ctx, searchable, suite);
  const { productId } = searchable;
  const def = ctx.product;
  const productRef = `${def.domain}/${def.name}`;
  const model = embeddingModel(MODEL);

  const own = readJson<{ question: string; product: string }[]>(path.join(ctx.corpusDir, "queries.json"))
    .filter((query) => query.product === productRef)
    .map((query) => query.question);
  if (own.length === 0) throw new Error(`queries.json has no question for ${productRef}`);
  const questions = Array.from({ length: queryCount }, (_, i) => own[i % own.length]!);
  const distinct = [...new Set(own)];
  const embeddings = new Map<string, number[]>();
  for (const question of distinct) embeddings.set(question, (await embed({ model, value: question })).embedding);

  // Query vectors for recall@10, and their exact top 10 (computed once, by a full scan).
  const catalogDir = path.join(CACHE, "corpus-catalog-questions");
  ensureCorpus(catalogDir, 8, 8);
  const catalogQuestions = [...new Set(readJson<{ question: string }[]>(path.join(catalogDir, "queries.json")).map((query) => query.question))];
  const catalogVectors: QueryVector[] = [];
  for (const question of catalogQuestions) catalogVectors.push({ label: question, embedding: (await embed({ model, value: question })).embedding });
  const recordRows = await db().$queryRaw<{ key: string; v: string }[]>`
    SELECT key, embedding::text AS v FROM record_embeddings WHERE product_id = ${productId}::uuid ORDER BY md5(key) LIMIT 200`;
  const sets = [
    { name: "the product's questions (queries.json)", vectors: distinct.map((question) => ({ label: question, embedding: embeddings.get(question)! })) },
    { name: "all archetypes' questions", vectors: catalogVectors },
    { name: "200 sampled records as queries", vectors: recordRows.map((row) => ({ label: row.key, embedding: row.v.slice(1, -1).split(",").map(Number) })) },
  ].map((set) => ({ ...set, truths: [] as { keys: string[]; kthDistance: number }[] }));
  const exactTimes: number[] = [];
  for (const set of sets) {
    log(`exact top ${K} of ${set.vectors.length} query vectors: ${set.name}`);
    for (const vector of set.vectors) {
      const start = performance.now();
      const keys = await exactNearest(productId, vector.embedding, ctx.dimensions, K);
      exactTimes.push(performance.now() - start);
      set.truths.push({ keys, kthDistance: await distanceTo(productId, ctx.dimensions, vector.embedding, keys.at(-1)!) });
    }
  }
  const exact = summarize(exactTimes);
  record(ctx, {
    suite,
    metric: "Exact scan SQL (exactNearest, the recall ground truth)",
    value: `${fmt(exact.p50)} / ${fmt(exact.p95)} ms`,
    note: `p50 / p95 of ${exact.count} exact scans; full scan, no index`,
    data: { ...exact },
  });

  const latency = async (label: string, run: (question: string) => Promise<unknown>): Promise<LatencySummary> => {
    const times: number[] = [];
    for (const question of questions) {
      const start = performance.now();
      await run(question);
      times.push(performance.now() - start);
    }
    const summary = summarize(times);
    log(`${label}: p50 ${fmt(summary.p50)} ms, p95 ${fmt(summary.p95)} ms`);
    return summary;
  };
  const latencyResult = (metric: string, summary: LatencySummary, note: string, data: Record<string, unknown> = {}) =>
    record(ctx, {
      suite,
      metric,
      value: `${fmt(summary.p50)} / ${fmt(summary.p95)} ms`,
      note: `p50 / p95 of ${summary.count} queries (${distinct.length} distinct questions); ${note}`,
      data: { ...summary, ...data },
    });

  for (const phase of statsPhases) {
    // PGlite runs no autovacuum, so nothing analyzes the table unless asked; the planner's estimates decide whether the HNSW index is used.
    let tag = "";
    if (phase === "analyzed") {
      tag = " [after ANALYZE]";
      const start = performance.now();
      await db().$executeRawUnsafe("ANALYZE record_embeddings");
      record(ctx, {
        suite,
        metric: "ANALYZE record_embeddings (bench step; the app does not run it)",
        value: `${fmt(seconds(start))} s`,
        note: "table statistics for the planner; PGlite has no autovacuum",
        data: { seconds: seconds(start) },
      });
    }
    const plan = await vectorPlan(productId, ctx.dimensions, embeddings.get(distinct[0]!)!, 40);
    record(ctx, {
      suite,
      metric: `Vector query plan${tag}`,
      value: plan.usesHnsw ? "HNSW index scan" : "no HNSW: exact scan + sort",
      note: `EXPLAIN of match_records' nearest-neighbour query: ${plan.summary}`,
      data: { ...plan },
    });

    log(`warming up (${WARMUP} queries)${tag}`);
    for (const question of questions.slice(0, WARMUP)) {
      await querySemantic(ctx.actor!, def, { question, k: K });
      await matchRecords(productId, embeddings.get(question)!, question, K);
    }
    const endToEnd = await latency(`querySemantic${tag}`, (question) => querySemantic(ctx.actor!, def, { question, k: K }));
    latencyResult(`Semantic query, end to end (querySemantic, k=10)${tag}`, endToEnd, "embed the question + hybrid SQL + records + highlights");
    if (!tag) {
      const questionEmbedding = await latency("question embedding", async (question) => embed({ model, value: question }));
      latencyResult("  of which: question embedding (embed)", questionEmbedding, `${MODEL}, worker threads`);
    }
    const hybrid = await latency(`hybrid SQL${tag}`, (question) => matchRecords(productId, embeddings.get(question)!, question, K));
    latencyResult(`Hybrid search SQL (match_records with question text)${tag}`, hybrid, "candidates 40 (app default), hnsw.ef_search 400");
    // The other statements of querySemantic, one by one.
    const keysOf = new Map<string, string[]>();
    for (const question of distinct) keysOf.set(question, (await matchRecords(productId, embeddings.get(question)!, question, K)).map((m) => m.key));
    const steps: [string, (question: string) => Promise<unknown>][] = [
      ["getProductId", () => getProductId(def.domain, def.name)],
      ["findSemanticSearch", () => findSemanticSearch(productId)],
      ["recordsByKeys (10 records)", (question) => recordsByKeys(productId, keysOf.get(question)!)],
      ["highlights (10 records)", (question) => highlights(productId, keysOf.get(question)!, question)],
    ];
    for (const [step, run] of steps) latencyResult(`  querySemantic step: ${step}${tag}`, await latency(`${step}${tag}`, run), "one statement over the wire");
    // An exact scan returns the exact answer whatever the candidates: measure one setting and one recall set only.
    const sweep = plan.usesHnsw ? candidateSettings : candidateSettings.slice(0, 1);
    if (!plan.usesHnsw) log(`the plan is an exact scan${tag}: measuring candidates ${sweep[0]} and the product's questions only`);
    for (const candidates of sweep) {
      const vectorOnly = await latency(`vector SQL, candidates ${candidates}${tag}`, (question) =>
        matchRecords(productId, embeddings.get(question)!, "", K, { candidates }),
      );
      latencyResult(`Vector search SQL (match_records, no text), candidates ${candidates}${tag}`, vectorOnly, `hnsw.ef_search ${efSearchOf(candidates)}`, {
        candidates,
        efSearch: efSearchOf(candidates),
      });
    }

    // Recall@10 of the vector ranking (match_records without text) against the exact scan.
    for (const set of plan.usesHnsw ? sets : sets.slice(0, 1)) {
      for (const candidates of sweep) {
        const strict: number[] = [];
        const short: string[] = [];
        let worst = { recall: Infinity, label: "" };
        const tieAware: number[] = [];
        for (const [i, vector] of set.vectors.entries()) {
          const matches = (await matchRecords(productId, vector.embedding, "", K, { candidates }))
            .filter((match) => match.vectorRank !== null)
            .sort((a, b) => a.vectorRank! - b.vectorRank!);
          strict.push(recallAtK(matches.map((match) => match.key), set.truths[i]!.keys, K));
          if (matches.length < K) short.push(`${vector.label} (${matches.length})`);
          tieAware.push(tieAwareRecallAtK(matches.map((match) => 1 - match.similarity!), set.truths[i]!.kthDistance, K));
          if (tieAware.at(-1)! < worst.recall) worst = { recall: tieAware.at(-1)!, label: vector.label };
        }
        record(ctx, {
          suite,
          metric: `Recall@${K}, ${set.name}, candidates ${candidates}${tag}`,
          value: `${fmt(mean(tieAware), 3)}`,
          note: `counting ties with the exact 10th neighbour as hits; by key ${fmt(mean(strict), 3)}; worst query ${fmt(Math.min(...tieAware), 2)}; ${set.vectors.length} query vectors${short.length ? `; ${short.length} got fewer than ${K} vector hits` : ""}${hnswOptions ? `; ${hnswLabel}` : ""}`,
          data: { candidates, queries: set.vectors.length, recall: mean(tieAware), recallByKey: mean(strict), min: Math.min(...tieAware), worst, fewerThanK: short, hnsw: hnswLabel, efSearch: efSearchOf(candidates) },
        });
      }
    }
  }
}

/** Bench-only: the same index as createVectorIndex (name, expression, predicate) with other build options. */
async function createBenchIndex(productId: string, dimensions: number, options: { m: number; efConstruction: number }) {
  if (!/^[0-9a-f-]{36}$/i.test(productId)) throw new Error(`Invalid product id ${productId}`);
  await db().$executeRawUnsafe(
    `CREATE INDEX "record_embeddings_hnsw_${productId.replaceAll("-", "")}" ON record_embeddings
     USING hnsw ((embedding::vector(${Number(dimensions)})) vector_cosine_ops) WITH (m = ${options.m}, ef_construction = ${options.efConstruction})
     WHERE product_id = '${productId}'`,
  );
}

/** The plan of match_records' nearest-neighbour query (same SQL shape, same ef_search). */
async function vectorPlan(productId: string, dimensions: number, embedding: number[], candidates: number) {
  const d = Number(dimensions);
  if (!/^[0-9a-f-]{36}$/i.test(productId)) throw new Error(`Invalid product id ${productId}`);
  const lines = await db().$transaction(async (tx) => {
    await tx.$queryRawUnsafe(`SELECT set_config('hnsw.ef_search', $1, true)`, String(efSearchOf(candidates)));
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
      `EXPLAIN SELECT e.key, e.embedding::vector(${d}) <=> $1::vector(${d}) AS distance
       FROM record_embeddings e WHERE e.product_id = '${productId}'
       ORDER BY e.embedding::vector(${d}) <=> $1::vector(${d}) LIMIT ${Number(candidates)}`,
      `[${embedding.join(",")}]`,
    );
    return rows.map((row) => row["QUERY PLAN"]);
  });
  const nodes = lines
    .map((line) => line.trim().replace(/^->\s*/, "").replace(/\s*\(cost=.*$/, ""))
    .filter((line) => /^(Limit|Sort|Incremental Sort|[A-Za-z ]*Scan)\b/.test(line) && !line.includes(":"))
    .map((line) => line.replace(/record_embeddings_hnsw_[0-9a-f]+/, "<product HNSW index>"));
  return { usesHnsw: lines.some((line) => line.includes("record_embeddings_hnsw_")), summary: nodes.join(" → "), plan: lines };
}

async function distanceTo(productId: string, dimensions: number, embedding: number[], key: string): Promise<number> {
  const [row] = await db().$queryRawUnsafe<{ d: number }[]>(
    `SELECT (embedding::vector(${Number(dimensions)}) <=> $2::vector(${Number(dimensions)}))::float8 AS d
     FROM record_embeddings WHERE product_id = $1::uuid AND key = $3`,
    productId,
    `[${embedding.join(",")}]`,
    key,
  );
  if (!row) throw new Error(`No embedding for ${key}`);
  return row.d;
}

// ---------------------------------------------------------------- main

async function runSize(size: number): Promise<SizeContext> {
  const corpusDir = path.join(CACHE, `corpus-${size}`);
  ensureCorpus(corpusDir, size, 1);
  const [product] = readJson<ProductDef[]>(path.join(corpusDir, "products.json"));
  if (!product) throw new Error(`No product in ${corpusDir}/products.json`);
  const dimensions = embeddingModelInfo(MODEL).dimensions;
  const ctx: SizeContext = {
    size,
    corpusDir,
    product,
    recordsFile: path.join(corpusDir, "records", `${product.domain}--${product.name}.ndjson`),
    results: [],
    cache: new VectorCache(CACHE, MODEL, dimensions),
    dimensions,
  };
  log(`size ${count(size)}: vector cache holds ${count(ctx.cache.size)} texts`);

  const dataDir = path.join(CACHE, `db-${size}-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  let database: EmbeddedDatabase | undefined;
  try {
    database = await startEmbeddedDatabase({ dataDir });
    await migrateUrl(database.url);
    setDb(createDb(database.url, 1));
    ctx.actor = await benchAdmin(product.domain, dataDir);
    for (const name of suites) {
      log(`suite ${name}, ${count(size)} records`);
      await SUITES[name]!(ctx);
    }
  } finally {
    await db().$disconnect().catch(() => {});
    setDb(undefined);
    await database?.stop();
    if (!args.keep) rmSync(dataDir, { recursive: true, force: true });
  }
  return ctx;
}

async function main() {
  mkdirSync(CACHE, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "-");
  const resultsFile = path.join(CACHE, `results-${stamp}.json`);
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    embeddingWorkers: env().EMBEDDING_WORKERS ?? Math.min(availableParallelism(), 4),
  };
  const output: Record<string, unknown> = { date: new Date().toISOString(), machine, args: { ...args, suites, sizes }, sizes: {} };
  const done: SizeContext[] = [];
  const loadSamples: number[] = [];
  setInterval(() => loadSamples.push(loadavg()[0]!), 10_000).unref();
  for (const size of sizes) {
    const sizeStart = performance.now();
    loadSamples.length = 0;
    const ctx = await runSize(size);
    const runSeconds = seconds(sizeStart);
    done.push(ctx);
    // The cores may be shared: the load average tells how much else ran meanwhile.
    const load = fmt(mean(loadSamples), 2);
    (output.sizes as Record<string, unknown>)[size] = { runSeconds, meanLoadAverage: mean(loadSamples), results: ctx.results };
    writeFileSync(resultsFile, JSON.stringify(output, null, 2) + "\n");
    console.log(`\n### ${count(size)} records (${suites.join(", ")}; run ${fmt(runSeconds / 60)} min; mean 1-min load average ${load} on ${availableParallelism()} cores)\n`);
    console.log(markdownTable(["Metric", "Value", "Notes"], ctx.results.map((result) => [result.metric, result.value, result.note])));
  }
  if (done.length > 1) {
    const metrics = [...new Set(done.flatMap((ctx) => ctx.results.map((result) => result.metric)))];
    console.log(`\n### All sizes\n`);
    console.log(
      markdownTable(
        ["Metric", ...done.map((ctx) => `${count(ctx.size)} records`)],
        metrics.map((metric) => [metric, ...done.map((ctx) => ctx.results.find((result) => result.metric === metric)?.value ?? "")]),
      ),
    );
  }
  console.log(`\nMachine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, ${machine.embeddingWorkers} embedding worker(s).`);
  console.log(`Results: ${path.relative(ROOT, resultsFile)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
