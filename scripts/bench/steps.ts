import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { embedMany } from "ai";
import { embeddingModel } from "../../lib/ai/models";
import { ensureAuthSecret } from "../../lib/auth/secret";
import type { Actor } from "../../lib/auth/guard";
import { createPasswordUser } from "../../lib/auth/users";
import { findActor, insertDomain } from "../../lib/db/accounts";
import { createVectorIndex, embeddingsAfter, pendingEmbeddings, storeEmbeddings } from "../../lib/db/retrieval";
import { configureSemanticSearch } from "../../lib/db/semantic-search";
import { resetEnvCache } from "../../lib/env";
import { requestIndexing } from "../../lib/search/indexer";
import { registerProduct } from "../../lib/services/products";
import { loadRecords } from "../../lib/services/records";
import { semanticSearchStatus } from "../../lib/services/semantic-search";
import { record, type Searchable, type SizeContext } from "./context";
import { productInput } from "./corpus";
import { count, EMBED_CHUNK, fmt, hnswLabel, hnswOptions, log, MODEL, seconds, STORE_BATCH } from "./settings";

/** Steps the suites share, each done once per size: the admin, the loaded product, the searchable product. */

/** An admin account and the product's domain, on the fresh benchmark database. */
export async function benchAdmin(domain: string, dataDir: string): Promise<Actor> {
  // Accounts are better-auth's: it needs a signing secret, as the launcher provides.
  process.env.BETTER_AUTH_SECRET = ensureAuthSecret(dataDir);
  resetEnvCache();
  await insertDomain({ name: domain, description: "Benchmark corpus" });
  const user = await createPasswordUser({ email: "bench@bench.local", name: "Benchmark", password: randomUUID(), role: "admin" });
  return (await findActor(user.id))!;
}

/** Registers the benchmark product and bulk loads all records of the size, without embeddings. */
export function ensureLoaded(ctx: SizeContext) {
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
export async function fillCache(ctx: SizeContext, texts: string[]): Promise<{ computed: number; seconds: number }> {
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
export function ensureSearchable(ctx: SizeContext) {
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
    await createVectorIndex(productId, ctx.dimensions, hnswOptions);
    const hnswSeconds = seconds(start);
    // The app's indexer finds nothing pending and the index in place: marks it ready.
    await requestIndexing(productId);
    const status = await semanticSearchStatus(ctx.actor!, ctx.product);
    if (status.status !== "ready") throw new Error(`Semantic search is ${status.status}: ${status.error ?? ""}`);
    return { productId, fromCache: cachedBefore, computed: computed.computed, computeSeconds: computed.seconds, storeSeconds, hnswSeconds, records };
  })();
  return ctx.searchable;
}

/** How the searched product got its vectors and index (once per size, by whichever suite comes first). */
export function recordVectorSource(ctx: SizeContext, searchable: Searchable, suite: string) {
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
    data: { ...searchable, records: searchable.records.length },
  });
}

/** Copies a product's stored embeddings into the vector cache (exact float32 values). */
export async function exportToCache(ctx: SizeContext, productId: string) {
  let after = "";
  let added = 0;
  for (;;) {
    const rows = await embeddingsAfter(productId, after, 2000);
    if (rows.length === 0) break;
    const fresh = rows.filter((row) => !ctx.cache.get(row.content));
    ctx.cache.add(fresh.map((row) => ({ text: row.content, vector: row.embedding })));
    added += fresh.length;
    after = rows.at(-1)!.key;
  }
  if (added) log(`added ${count(added)} vectors computed during ingest to the cache`);
}
