import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { withConnection } from "../../lib/db/connection";
import { createDb, db, setDb } from "../../lib/db/client";
import { migrateUrl } from "../../lib/db/migrate";
import { record, type SizeContext, type Summary } from "./context";
import { benchDatabase, type BenchDatabase } from "./database";
import { ensureQuestions } from "./questions";
import { ensureExact, measureSearch, type SearchMeasurement } from "./search";
import { args, CACHE, count, fmt, log, ROOT } from "./settings";
import { mean } from "./stats";
import { benchAdmin, ensureLoaded, ensureSearchable } from "./steps";
import { freePort } from "../../lib/net/free-port";

/**
 * The same load, index and query measurements on the embedded database
 * (PGlite, the size's database) and on a native PostgreSQL 15 + pgvector
 * (../shared/tools/postgres-pgvector.sh, started for the run in
 * .cache/bench/postgres on a free port and stopped after it, or the server of
 * --postgres-url), each on a fresh database, in one run, with the ratio per
 * metric. Without a native server the suite says why and measures PGlite only.
 */
export async function enginesSuite(ctx: SizeContext) {
  const suite = "engines";
  const set = await ensureQuestions(ctx);
  await ensureExact(ctx);
  const engines: EngineRun[] = [await measureEngine(ctx, ctx.database === "embedded PGlite" ? "PGlite" : (ctx.database ?? "PGlite"), set)];
  let native: NativeServer | undefined;
  try {
    native = await startNative();
  } catch (error) {
    ctx.summary.enginesSkipped = `native PostgreSQL unavailable: ${(error as Error).message.split("\n")[0]}`;
    record(ctx, { suite, metric: "Engines: native PostgreSQL", value: "not measured", note: ctx.summary.enginesSkipped, data: {} });
  }
  if (native) {
    const embedded = db();
    let database: BenchDatabase | undefined;
    let client: ReturnType<typeof createDb> | undefined;
    try {
      database = await benchDatabase(ctx.dataDir, native.url, `bench_engines_${ctx.size}_${process.pid}`);
      client = createDb(database.url, 1);
      await migrateUrl(database.url);
      setDb(client);
      const nativeCtx: SizeContext = { ...ctx, results: ctx.results, loaded: undefined, searchable: undefined };
      nativeCtx.actor = await benchAdmin(ctx.product.domain, ctx.dataDir);
      engines.push(await measureEngine(nativeCtx, `${database.label}, pgvector ${native.pgvector}`, set));
    } finally {
      setDb(embedded);
      await client?.$disconnect().catch(() => {});
      await database?.stop().catch((error: Error) => log(`could not drop the engines suite's database: ${error.message}`));
      native.stop();
    }
  }

  ctx.summary.engines = engines.map(({ name, size, load, search, loadAverage }) => ({
    name,
    loadRowsPerS: size / load.storeSeconds,
    hnswBuildS: load.hnswSeconds,
    vectorP95Ms: search.vector.p95,
    hybridP95Ms: search.hybrid.p95,
    recallAt10: search.hybridRecall,
    vectorP50Ms: search.vector.p50,
    hybridP50Ms: search.hybrid.p50,
    vectorRecallAt10: search.vectorRecall,
    recordsLoadPerS: size / load.recordsSeconds,
    meanLoadAverage: Number(loadAverage.toFixed(2)),
  }));
  const rows: { metric: string; pick: (engine: NonNullable<Summary["engines"]>[number]) => number; unit: string; digits: number; note: string }[] = [
    { metric: "records bulk load (loadRecords)", pick: (e) => e.recordsLoadPerS, unit: " records/s", digits: 0, note: "NDJSON streamed, lexical index in the load" },
    { metric: "vectors stored (storeEmbeddings, 500 a statement)", pick: (e) => e.loadRowsPerS, unit: " rows/s", digits: 0, note: "vectors from the cache" },
    { metric: "HNSW build (createVectorIndex)", pick: (e) => e.hnswBuildS, unit: " s", digits: 1, note: "m=16, ef_construction=64" },
    { metric: "hybrid SQL p50 (match_records with question text)", pick: (e) => e.hybridP50Ms, unit: " ms", digits: 1, note: "" },
    { metric: "hybrid SQL p95", pick: (e) => e.hybridP95Ms, unit: " ms", digits: 1, note: "" },
    { metric: "vector SQL p50 (match_records, no text)", pick: (e) => e.vectorP50Ms, unit: " ms", digits: 1, note: "" },
    { metric: "vector SQL p95", pick: (e) => e.vectorP95Ms, unit: " ms", digits: 1, note: "" },
    { metric: "hybrid recall@10 against the exact hybrid ranking", pick: (e) => e.recallAt10, unit: "", digits: 3, note: "by embedded text" },
    { metric: "vector recall@10 against exact cosine top 10", pick: (e) => e.vectorRecallAt10, unit: "", digits: 3, note: "ties with the exact 10th count" },
  ];
  const summaries = ctx.summary.engines;
  for (const row of rows) {
    const values = summaries.map(row.pick);
    const ratio = values.length > 1 ? `; ratio ${summaries[1]!.name.split(",")[0]} ÷ PGlite ${fmt(values[1]! / values[0]!, 2)}` : "";
    record(ctx, {
      suite,
      metric: `Engines: ${row.metric}`,
      value: summaries.map((engine, i) => `${engine.name.split(",")[0]} ${row.digits === 0 ? count(Math.round(values[i]!)) : fmt(values[i]!, row.digits)}${row.unit}`).join(" · "),
      note: `${row.note}${row.note ? "; " : ""}${count(ctx.size)} records${ratio}; mean load average ${summaries.map((engine) => fmt(engine.meanLoadAverage, 1)).join(" · ")}`,
      data: { engines: summaries.map((engine, i) => ({ name: engine.name, value: values[i] })) },
    });
  }
  for (const engine of engines) {
    const { search } = engine;
    record(ctx, {
      suite,
      metric: `Engines: ${engine.name}, details`,
      value: `exact hybrid ${fmt(search.exactHybrid.p50)} / ${fmt(search.exactHybrid.p95)} ms`,
      note: `${search.questions} distinct questions, each once; hybrid recall by key ${fmt(search.hybridRecallByKey, 3)}, worst question ${fmt(search.hybridRecallMin, 2)}; vector recall by key ${fmt(search.vectorRecallByKey, 3)}, worst ${fmt(search.vectorRecallMin, 2)}`,
      data: { ...search },
    });
  }
}

interface EngineRun {
  name: string;
  size: number;
  load: { recordsSeconds: number; storeSeconds: number; hnswSeconds: number };
  search: SearchMeasurement;
  /** Mean 1-minute load average while it was measured. */
  loadAverage: number;
}

async function measureEngine(ctx: SizeContext, name: string, set: Awaited<ReturnType<typeof ensureQuestions>>): Promise<EngineRun> {
  log(`engine ${name}: load, index, query`);
  // The cores are shared: the load average while this engine ran, beside its figures.
  const load = [loadavg()[0]!];
  const sampler = setInterval(() => load.push(loadavg()[0]!), 5_000);
  try {
    const loaded = await ensureLoaded(ctx);
    const searchable = await ensureSearchable(ctx);
    const search = await measureSearch(ctx, searchable.productId, set, name.split(",")[0]!);
    load.push(loadavg()[0]!);
    return {
      name,
      size: ctx.size,
      load: { recordsSeconds: loaded.seconds, storeSeconds: searchable.storeSeconds, hnswSeconds: searchable.hnswSeconds },
      search,
      loadAverage: mean(load),
    };
  } finally {
    clearInterval(sampler);
  }
}

interface NativeServer {
  url: string;
  pgvector: string;
  stop(): void;
}

/** The native server: --postgres-url's, or one started by ../shared/tools/postgres-pgvector.sh (stopped by `stop`). */
async function startNative(): Promise<NativeServer> {
  let url = args["postgres-url"];
  let stop = () => {};
  if (!url) {
    const script = path.join(ROOT, "..", "shared", "tools", "postgres-pgvector.sh");
    if (!existsSync(script)) throw new Error(`${path.relative(ROOT, script)} not found`);
    const dir = path.join(CACHE, "postgres");
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    log(`starting native PostgreSQL + pgvector in ${path.relative(ROOT, dir)} on port ${port}`);
    const output = execFileSync("bash", [script, "start", dir, String(port)], { encoding: "utf8", stdio: ["ignore", "pipe", 2] });
    url = output.trim().split("\n").at(-1)!;
    stop = () => {
      log("stopping native PostgreSQL");
      execFileSync("bash", [script, "stop", dir], { stdio: ["ignore", 2, 2] });
    };
  }
  try {
    const { rows } = await withConnection(url, (client) =>
      client.query<{ vector: string | null }>("SELECT (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS vector"),
    );
    if (!rows[0]?.vector) throw new Error("the server has no pgvector extension");
    return { url, pgvector: rows[0].vector, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

