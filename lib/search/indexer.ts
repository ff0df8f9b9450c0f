import { embedMany } from "ai";
import { embeddingModel } from "../ai/models";
import {
  analyzeEmbeddings,
  countEmbeddings,
  countPendingEmbeddings,
  createVectorIndex,
  dropBlankEmbeddings,
  dropVectorIndex,
  hasVectorIndex,
  pendingEmbeddings,
  storeEmbeddings,
} from "../db/retrieval";
import { countRecords } from "../db/records";
import { findSemanticSearch, unclaimedIndexing, updateSemanticSearch } from "../db/semantic-search";
import { analyzeLexical, ensureWordIndex, pendingWords, storeWordVectors } from "../db/lexical";
import { JobRegistry, type Job } from "../runtime/jobs";

/**
 * Background indexing: embeds a product's records that have no (or an
 * outdated) embedding, in batches, reporting progress, then builds the
 * product's HNSW index. One job per product at a time among all servers
 * sharing the database (lib/runtime/jobs.ts); a request while one runs makes
 * it look for work once more before it finishes. State lives in the
 * database: `resumeIndexing()` (at startup and then periodically) picks up
 * the indexing that no server holds, such as a dead server's.
 */

export const EMBED_BATCH = 64;
/** Vocabulary words per embedding call: words are short. */
const WORD_BATCH = 256;
/** Above this share of pending records the index is dropped and rebuilt after, not updated row by row. */
const REBUILD_SHARE = 0.2;

const jobs = new JobRegistry("indexing");

/** Starts indexing the product in the background (or asks the running job to look again). */
export function requestIndexing(productId: string): Promise<void> {
  return jobs.request(productId, (job) => runJob(productId, job));
}

/** Called after records were loaded: embeds the new and changed ones. */
export async function recordsChanged(productId: string): Promise<void> {
  const current = await findSemanticSearch(productId);
  if (!current) return;
  await updateSemanticSearch(productId, current.generation, { status: "indexing", total: await countRecords(productId) });
  void requestIndexing(productId);
}

/**
 * Starts the indexing that no server runs: interrupted by a restart, or by the death of another server
 * (or configured by the seed of a new embedded database). Returns how many products it started and
 * when their jobs have ended (a failed one records and logs its error).
 */
export async function resumeIndexing(): Promise<{ products: number; ended: Promise<void> }> {
  const started = (await unclaimedIndexing()).map((productId) => requestIndexing(productId));
  return { products: started.length, ended: Promise.all(started).then(() => undefined) };
}

async function runJob(productId: string, job: Job): Promise<void> {
  let config = await findSemanticSearch(productId);
  while (config) {
    const { generation } = config;
    try {
      await indexPending(productId, config, job.signal);
    } catch (error) {
      // Another server took the job over (this one was too slow to renew its lease): it carries on.
      if (job.signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      console.error(`Indexing of product ${productId} failed:`, message);
      await updateSemanticSearch(productId, generation, { status: "failed", error: message });
      return;
    }
    if (job.signal.aborted) return;
    // Reconfigured meanwhile: go round again (more records arriving are requests the registry runs).
    const current = await findSemanticSearch(productId);
    if (current?.generation === generation) return;
    config = current;
  }
}

async function indexPending(
  productId: string,
  config: { generation: number; model: string; dimensions: number; fields: string[] },
  signal: AbortSignal,
): Promise<void> {
  const { generation, model, dimensions, fields } = config;
  await dropBlankEmbeddings(productId, fields);
  const [total, pending, embedded] = await Promise.all([
    countRecords(productId),
    countPendingEmbeddings(productId, fields),
    countEmbeddings(productId),
  ]);
  let indexed = total - pending;
  if (!(await updateSemanticSearch(productId, generation, { status: "indexing", total, indexed, error: null }))) return;
  if (pending > 0 && pending > embedded * REBUILD_SHARE) await dropVectorIndex(productId);

  const embedder = embeddingModel(model);
  for (;;) {
    const batch = await pendingEmbeddings(productId, fields, EMBED_BATCH);
    if (batch.length === 0) break;
    const { embeddings } = await embedMany({ model: embedder, values: batch.map((item) => item.content), maxRetries: 2, abortSignal: signal });
    const wrong = embeddings.find((vector) => vector.length !== dimensions);
    if (wrong) throw new Error(`Model ${model} returned ${wrong.length}-dimensional vectors; ${dimensions} were configured`);
    const stored = await storeEmbeddings(
      productId,
      generation,
      model,
      batch.map((item, index) => ({ ...item, embedding: embeddings[index]! })),
    );
    if (!stored || signal.aborted) return;
    indexed = Math.min(total, indexed + batch.length);
    if (!(await updateSemanticSearch(productId, generation, { indexed }))) return;
  }
  if (!(await hasVectorIndex(productId))) await createVectorIndex(productId, dimensions);
  if (signal.aborted || !(await embedVocabulary(productId, generation, model, dimensions))) return;
  await analyzeEmbeddings();
  await analyzeLexical();
  await updateSemanticSearch(productId, generation, { status: "ready", indexed: total, total, indexedAt: new Date() });
}

/**
 * Embeds the words of the product's vocabulary that the model has not
 * embedded yet (shared by all products using the model), for the query
 * expansion. Returns false when the capability was reconfigured meanwhile.
 */
async function embedVocabulary(productId: string, generation: number, model: string, dimensions: number): Promise<boolean> {
  const embedder = embeddingModel(model);
  for (;;) {
    const words = await pendingWords(productId, model, WORD_BATCH);
    if (words.length === 0) break;
    const { embeddings } = await embedMany({ model: embedder, values: words, maxRetries: 2 });
    if ((await findSemanticSearch(productId))?.generation !== generation) return false;
    await storeWordVectors(model, words.map((word, index) => ({ word, embedding: embeddings[index]! })));
  }
  await ensureWordIndex(model, dimensions);
  return true;
}
