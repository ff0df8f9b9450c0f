// scripts/bench: `npm run bench`, one module per suite.
/**
 * `npm run bench -- [--suite ingest,query] [--sizes 10000,100000] [options]` (--help lists them)
 *
 * Benchmarks in named suites, each run per corpus size on a fresh embedded
 * database (PGlite + pgvector in .cache/bench/, reached over the Postgres wire
 * protocol as the app does), or with --database-url on a fresh database of
 * that PostgreSQL server (scripts/bench/database.ts). Prints a Markdown table
 * per size (stdout; progress goes to stderr), with --json a summary line per
 * size after them, and writes .cache/bench/results-<date>.json.
 *
 * Suites:
 *   ingest  bulk load without embeddings; ingest with embeddings (upload until
 *           semantic search is ready) on the first --ingest-records records,
 *           beside the offline model's own texts/s on the same texts;
 *           HNSW build time over all records of the size
 *   query   semantic query latency (end to end, hybrid SQL, vector SQL) over
 *           distinct questions (questions.ts), hybrid recall@10 against the
 *           exact hybrid ranking and vector recall@10 against an exact scan
 *   engines the same load, index and query measurements on PGlite and on a
 *           native PostgreSQL + pgvector, in one run, ratio per metric
 *   peers   hnswlib-node, LanceDB and Orama on the same vectors and questions:
 *           build, top-10 latency, recall@10 against the exact cosine top 10
 *   federated  the size's records spread over --federated-products products:
 *           federated query pipeline latency (discovery + parallel retrieval)
 *           and time to the first streamed token of the chat route
 *   health  all SLA checks and seven quality rules of the product holding
 *           all records (runHealthCheck) after 1 and 1,000 records changed,
 *           after a rule changed, unchanged; p50/p95 over 20 runs
 *   answers the answer engine on the product's records without embeddings:
 *           value catalog build, then planner + executor latency for counts,
 *           averages, extremes and filtered lists written from its catalog
 *   pages   the built app (built first unless .next holds a build) served on
 *           the size's database, pages loaded in headless Chromium: compressed
 *           JavaScript per page, LCP with the CPU slowed 4×, and the server
 *           time of the product page holding all records
 * A suite is one module here (ingest.ts, query.ts, engines.ts, peers.ts,
 * federated.ts, health.ts, answers.ts, pages.ts) and an entry of SUITES;
 * settings.ts reads the command line, corpus.ts the generated corpus,
 * database.ts the size's database, questions.ts the questions, search.ts the
 * measurements query and engines share, steps.ts the steps all suites share.
 * Every query goes through lib/services, lib/search or lib/db: the bench
 * retypes no SQL.
 *
 * The corpus comes from ../shared/bench/gen-corpus.mjs (deterministic), one
 * product holding all N records. Embeddings of the searched product are read
 * from a content-addressed cache (.cache/bench/vectors-*) and only the missing
 * ones are computed (see scripts/bench/vector-cache.ts); the output says how
 * many came from the cache. Ingest throughput is always measured through the
 * app's own indexing, never from the cache.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { embeddingModelInfo } from "../../lib/ai/models";
import { createDb, db, setDb } from "../../lib/db/client";
import { migrateUrl } from "../../lib/db/migrate";
import { env } from "../../lib/env";
import type { ProductDef, SizeContext } from "./context";
import { ensureCorpus, readJson } from "./corpus";
import { answersSuite } from "./answers";
import { benchDatabase, type BenchDatabase } from "./database";
import { enginesSuite } from "./engines";
import { peersSuite } from "./peers";
import { federatedSuite } from "./federated";
import { healthSuite } from "./health";
import { ingestSuite } from "./ingest";
import { loadSuite } from "./load";
import { pagesSuite } from "./pages";
import { querySuite } from "./query";
import { args, CACHE, count, fmt, log, MODEL, ROOT, seconds, sizes, suites, type SUITE_NAMES } from "./settings";
import { markdownTable, mean } from "./stats";
import { benchAdmin } from "./steps";
import { VectorCache } from "./vector-cache";

const SUITES: Record<(typeof SUITE_NAMES)[number], (ctx: SizeContext) => Promise<void>> = {
  ingest: ingestSuite,
  query: querySuite,
  engines: enginesSuite,
  peers: peersSuite,
  federated: federatedSuite,
  health: healthSuite,
  answers: answersSuite,
  pages: pagesSuite,
  load: loadSuite,
};

async function runSize(size: number): Promise<SizeContext> {
  const corpusDir = path.join(CACHE, `corpus-${size}`);
  ensureCorpus(corpusDir, size, 1);
  const [product] = readJson<ProductDef[]>(path.join(corpusDir, "products.json"));
  if (!product) throw new Error(`No product in ${corpusDir}/products.json`);
  const dimensions = embeddingModelInfo(MODEL).dimensions;
  const dataDir = path.join(CACHE, `db-${size}-${process.pid}`);
  const ctx: SizeContext = {
    size,
    dataDir,
    corpusDir,
    product,
    recordsFile: path.join(corpusDir, "records", `${product.domain}--${product.name}.ndjson`),
    results: [],
    cache: new VectorCache(CACHE, MODEL, dimensions),
    dimensions,
    summary: { size },
  };
  log(`size ${count(size)}: vector cache holds ${count(ctx.cache.size)} texts`);

  rmSync(dataDir, { recursive: true, force: true });
  let database: BenchDatabase | undefined;
  try {
    database = await benchDatabase(dataDir, args["database-url"], `mesh_bench_${size}_${process.pid}`);
    log(`size ${count(size)} on ${database.label}`);
    ctx.database = database.label;
    await migrateUrl(database.url);
    ctx.databaseUrl = database.url;
    setDb(createDb(database.url, 1));
    ctx.actor = await benchAdmin(product.domain, dataDir);
    for (const name of suites) {
      log(`suite ${name}, ${count(size)} records`);
      await SUITES[name as keyof typeof SUITES](ctx);
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
    loadSamples.push(loadavg()[0]!);
    const ctx = await runSize(size);
    const runSeconds = seconds(sizeStart);
    done.push(ctx);
    // The cores may be shared: the load average tells how much else ran meanwhile.
    const load = fmt(mean(loadSamples), 2);
    ctx.summary.meanLoadAverage = Number(mean(loadSamples).toFixed(2));
    (output.sizes as Record<string, unknown>)[size] = { database: ctx.database, runSeconds, meanLoadAverage: mean(loadSamples), summary: ctx.summary, results: ctx.results };
    writeFileSync(resultsFile, JSON.stringify(output, null, 2) + "\n");
    console.log(`\n### ${count(size)} records (${suites.join(", ")}; ${ctx.database}; run ${fmt(runSeconds / 60)} min; mean 1-min load average ${load} on ${availableParallelism()} cores)\n`);
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
  // The machine-readable summary: one JSON object per size, the last size's on the last line.
  if (args.json) for (const ctx of done) console.log(JSON.stringify(ctx.summary));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
