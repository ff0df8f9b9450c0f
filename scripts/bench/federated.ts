import { createReadStream } from "node:fs";
import path from "node:path";
import { embedQuery } from "../../lib/ai/query-embedding";
import { insertDomain } from "../../lib/db/accounts";
import { matchProducts, pendingEmbeddings, storeEmbeddings } from "../../lib/db/retrieval";
import { configureSemanticSearch } from "../../lib/db/semantic-search";
import { UNRESTRICTED } from "../../lib/mesh/access";
import { discoveryQuerySchema } from "../../lib/validation/discovery";
import { federatedQuery } from "../../lib/search/federated";
import { requestIndexing } from "../../lib/search/indexer";
import { embedQuestionWords } from "../../lib/search/query-words";
import { answerChat } from "../../lib/services/chat";
import { registerProduct } from "../../lib/services/products";
import { loadRecords } from "../../lib/services/records";
import { record, type ProductDef, type SizeContext } from "./context";
import { ensureCorpus, productInput, readJson } from "./corpus";
import { args, CACHE, count, fmt, log, MODEL, queryCount, seconds, STORE_BATCH, WARMUP } from "./settings";
import { summarize } from "./stats";
import { fillCache } from "./steps";

/**
 * The federated pipeline over many products: discovery picks 3 of them, each
 * is queried in parallel (lib/search/federated.ts), then the chat route
 * streams the offline composer's answer. Vectors come from the cache like the
 * query suite's; every product is indexed (HNSW, discovery centroid) by the app.
 */
export async function federatedSuite(ctx: SizeContext) {
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
  for (const question of all.slice(-WARMUP)) await federatedQuery({ question, k: 5 }, UNRESTRICTED);
  const total: number[] = [];
  const discovery: number[] = [];
  const retrieval: number[] = [];
  for (const question of timed) {
    const begin = performance.now();
    const result = await federatedQuery({ question, k: 5 }, UNRESTRICTED);
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

  // Discovery's SQL alone, as GET /api/discovery asks it (its default k), on
  // the same questions: their embeddings and their words' are the pipeline's.
  const discoveryK = discoveryQuerySchema.shape.k.parse(undefined);
  const discoverySql: number[] = [];
  for (const question of timed) {
    const [embedding, words] = await Promise.all([embedQuery(MODEL, question), embedQuestionWords(MODEL, question)]);
    const begin = performance.now();
    await matchProducts(embedding, MODEL, question, discoveryK, { words });
    discoverySql.push(performance.now() - begin);
  }
  row("Discovery SQL (match_products)", discoverySql, timed, `k=${discoveryK} as GET /api/discovery; ${productCount} products' nearest records, descriptions, BM25`);

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
  ctx.summary.federated = {
    p95Ms: summarize(total).p95,
    firstTokenP95Ms: summarize(firstToken).p95,
    discoveryP95Ms: summarize(discovery).p95,
    discoverySqlP95Ms: summarize(discoverySql).p95,
  };
}
