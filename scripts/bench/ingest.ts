import { availableParallelism } from "node:os";
import { embedMany } from "ai";
import { embeddingModel } from "../../lib/ai/models";
import { pendingEmbeddings } from "../../lib/db/retrieval";
import { env } from "../../lib/env";
import { requestIndexing } from "../../lib/search/indexer";
import { registerProduct } from "../../lib/services/products";
import { loadRecords } from "../../lib/services/records";
import { disableSemanticSearch, enableSemanticSearch, semanticSearchStatus } from "../../lib/services/semantic-search";
import { record, type SizeContext } from "./context";
import { firstLines, productInput } from "./corpus";
import { count, EMBED_CHUNK, fmt, ingestRecords, log, MODEL, seconds, WARMUP } from "./settings";
import { ensureLoaded, ensureSearchable, exportToCache, recordVectorSource } from "./steps";

/** Bulk load, ingest with embeddings through the app, and the HNSW build. */
export async function ingestSuite(ctx: SizeContext) {
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
  const model = await modelSpeed(product.id, def.semanticSearchFields, sample);
  const enabled = performance.now();
  await enableSemanticSearch(ctx.actor!, { domain: def.domain, name }, { fields: def.semanticSearchFields });
  const progress = setInterval(() => {
    void semanticSearchStatus(ctx.actor!, { domain: def.domain, name }).then(
      (status) => log(`  indexing: ${count(status.indexed)} / ${count(status.total)} (${fmt(status.indexed / seconds(enabled))} records/s)`),
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
  // The model's measurement ran between the load and enabling search: not part of the pipeline's time.
  const indexing = (ready - enabled) / 1000;
  const total = (loaded - start) / 1000 + indexing;
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
  const ratio = sample / total / model.textsPerSecond;
  record(ctx, {
    suite,
    metric: "Offline model alone, same texts (embedMany)",
    value: `${fmt(model.textsPerSecond)} texts/s`,
    note: `the ${count(model.texts)} records' texts as the app embeds them (${count(model.distinct)} distinct; each embedded, repeats too), ${EMBED_CHUNK} a call, ${MODEL}, ${workers} worker thread(s), just before the ingest's indexing`,
    data: { texts: model.texts, distinct: model.distinct, seconds: model.seconds, textsPerSecond: model.textsPerSecond },
  });
  record(ctx, {
    suite,
    metric: "Ingest ÷ model (records/s over texts/s; target ≥ 90%)",
    value: `${fmt(100 * ratio, 0)}%`,
    note: `${fmt(sample / total)} records/s upload → searchable against ${fmt(model.textsPerSecond)} texts/s for the model alone`,
    data: { ratio },
  });
  ctx.summary.ingest = { modelTextsPerS: model.textsPerSecond, ingestRecordsPerS: sample / total, ratio };

  // Keep what was just computed, then free the table for the measurements.
  await exportToCache(ctx, product.id);
  await disableSemanticSearch(ctx.actor!, { domain: def.domain, name });

  recordVectorSource(ctx, await ensureSearchable(ctx), suite);
}

/**
 * The offline model's own speed on the texts the ingest will embed (the
 * loaded records' texts, computed by the database as the indexer does):
 * embedMany straight on the app's model, after a short warm-up.
 */
async function modelSpeed(productId: string, fields: string[], limit: number) {
  const texts = (await pendingEmbeddings(productId, fields, limit)).map((item) => item.content);
  const model = embeddingModel(MODEL);
  await embedMany({ model, values: texts.slice(0, WARMUP) });
  log(`offline model alone: embedding the ${count(texts.length)} texts`);
  const start = performance.now();
  for (let offset = 0; offset < texts.length; offset += EMBED_CHUNK) {
    await embedMany({ model, values: texts.slice(offset, offset + EMBED_CHUNK), maxRetries: 0 });
  }
  const took = seconds(start);
  log(`offline model alone: ${fmt(texts.length / took)} texts/s`);
  return { texts: texts.length, distinct: new Set(texts).size, seconds: took, textsPerSecond: texts.length / took };
}
