import { matchRecords, type Match } from "../../lib/db/retrieval";
import type { QuestionSet, SizeContext } from "./context";
import { ExactIndex } from "./exact";
import { count, fmt, K, log } from "./settings";
import { mean, multisetRecallAtK, recallAtK, summarize, tieAwareRecallAtK, type LatencySummary } from "./stats";
import { ensureSearchable } from "./steps";

/**
 * The hybrid and vector-only searches of one product (match_records, the SQL
 * entry point), each question asked once, and their recall@10 against exact
 * rankings computed in the same run:
 *   hybrid: match_records with every HNSW scan replaced by an exact scan
 *           (index scans off: the records' nearest neighbours and the
 *           vocabulary words' of the query expansion), same fusion;
 *   vector: exact cosine top 10 by brute force over the same vectors (ExactIndex).
 */
export interface SearchMeasurement {
  hybrid: LatencySummary;
  vector: LatencySummary;
  /** The exact hybrid ranking's own latency (full scans). */
  exactHybrid: LatencySummary;
  /** Hybrid recall@10 by embedded text (records with the same text are equally good answers); strictly by key beside it. */
  hybridRecall: number;
  hybridRecallByKey: number;
  hybridRecallMin: number;
  /** Vector recall@10: ties with the exact 10th neighbour count as hits; by key beside it. */
  vectorRecall: number;
  vectorRecallByKey: number;
  vectorRecallMin: number;
  questions: number;
}

/** The exact vector index over the searched product's vectors (built once per size). */
export async function ensureExact(ctx: SizeContext): Promise<ExactIndex> {
  if (!ctx.exact) {
    const { records } = await ensureSearchable(ctx);
    const vectors = new Float32Array(records.length * ctx.dimensions);
    records.forEach((item, row) => vectors.set(ctx.cache.get(item.content)!, row * ctx.dimensions));
    ctx.exact = new ExactIndex(
      records.map((item) => item.key),
      vectors,
      ctx.dimensions,
    );
  }
  return ctx.exact;
}

async function timed<T>(label: string, questions: readonly string[], run: (question: string) => Promise<T>) {
  const times: number[] = [];
  const results = new Map<string, T>();
  for (const question of questions) {
    const start = performance.now();
    results.set(question, await run(question));
    times.push(performance.now() - start);
  }
  const summary = summarize(times);
  log(`${label}: p50 ${fmt(summary.p50)} ms, p95 ${fmt(summary.p95)} ms over ${count(summary.count)} questions`);
  return { summary, results };
}

/** Hybrid and vector-only latency and recall@10 of `productId` on the current database. */
export async function measureSearch(ctx: SizeContext, productId: string, set: QuestionSet, label: string): Promise<SearchMeasurement> {
  const exact = await ensureExact(ctx);
  const { records } = await ensureSearchable(ctx);
  const textOf = new Map(records.map((item) => [item.key, item.content]));
  const embedding = (question: string) => set.embeddings.get(question)!;
  const hybridOf = (question: string, exactScan = false) =>
    matchRecords(productId, embedding(question), question, K, { words: set.words.get(question)!, exact: exactScan });
  const vectorOf = (question: string) => matchRecords(productId, embedding(question), "", K);
  for (const question of set.warmup) {
    await hybridOf(question);
    await vectorOf(question);
  }
  const hybrid = await timed(`${label} hybrid SQL`, set.questions, (question) => hybridOf(question));
  const vector = await timed(`${label} vector SQL`, set.questions, vectorOf);
  const exactHybrid = await timed(`${label} exact hybrid SQL (ground truth)`, set.questions, (question) => hybridOf(question, true));

  const keys = (matches: Match[]) => matches.map((match) => match.key);
  const hybridByKey: number[] = [];
  const hybridByText: number[] = [];
  const vectorTieAware: number[] = [];
  const vectorByKey: number[] = [];
  for (const question of set.questions) {
    const approximate = keys(hybrid.results.get(question)!);
    const truth = keys(exactHybrid.results.get(question)!);
    hybridByKey.push(recallAtK(approximate, truth, K));
    const texts = (list: string[]) => list.map((key) => textOf.get(key) ?? key);
    hybridByText.push(multisetRecallAtK(texts(approximate), texts(truth), K));
    const nearest = exact.nearest(embedding(question), K);
    const found = vector.results
      .get(question)!
      .filter((match) => match.vectorRank !== null)
      .sort((a, b) => a.vectorRank! - b.vectorRank!);
    vectorTieAware.push(tieAwareRecallAtK(found.map((match) => exact.distance(embedding(question), match.key)), nearest.at(-1)!.distance, K));
    vectorByKey.push(recallAtK(keys(found), nearest.map((item) => item.key), K));
  }
  return {
    hybrid: hybrid.summary,
    vector: vector.summary,
    exactHybrid: exactHybrid.summary,
    hybridRecall: mean(hybridByText),
    hybridRecallByKey: mean(hybridByKey),
    hybridRecallMin: Math.min(...hybridByText),
    vectorRecall: mean(vectorTieAware),
    vectorRecallByKey: mean(vectorByKey),
    vectorRecallMin: Math.min(...vectorTieAware),
    questions: set.questions.length,
  };
}
