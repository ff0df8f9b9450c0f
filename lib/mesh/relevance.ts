/**
 * Whether a retrieved record is relevant to the question: the decision the
 * chat and the answer planner make before quoting, counting or citing it, and
 * the way a consulted product is reported as having nothing relevant. Each
 * signal has its own threshold, calibrated on both dev sets together
 * (`npm run eval -- --calibrate`, which prints the thresholds that maximise F1
 * of this decision over the top records of every question–product pair and
 * of the out-of-scope questions): a record is relevant when either signal
 * reaches its threshold. Pure.
 */

export interface RelevanceThresholds {
  /** Cosine similarity of the record to the question (the vector signal). */
  similarity: number;
  /** Share of the question's BM25 weight the record matches (the lexical signal). */
  lexical: number;
}

/** Calibrated with local/use-lite on dev-set.json + dev-set-2.json (see README "Relevance"). */
export const RELEVANCE: RelevanceThresholds = { similarity: 0.49, lexical: 0.14 };

export interface RelevanceSignals {
  similarity: number | null;
  lexical?: number | null;
}

export function isRelevant(result: RelevanceSignals, thresholds: RelevanceThresholds = RELEVANCE): boolean {
  return (result.similarity ?? -1) >= thresholds.similarity || (result.lexical ?? 0) >= thresholds.lexical;
}

export interface Observation extends RelevanceSignals {
  relevant: boolean;
}

export interface Calibration {
  thresholds: RelevanceThresholds;
  f1: number;
  precision: number;
  recall: number;
}

function scoreOf(observations: Observation[], thresholds: RelevanceThresholds): Calibration {
  let truePositives = 0;
  let predicted = 0;
  let actual = 0;
  for (const observation of observations) {
    const decided = isRelevant(observation, thresholds);
    if (decided) predicted++;
    if (observation.relevant) actual++;
    if (decided && observation.relevant) truePositives++;
  }
  const precision = predicted ? truePositives / predicted : 0;
  const recall = actual ? truePositives / actual : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { thresholds, f1, precision, recall };
}

/** Candidate thresholds: the observed values of one signal, to two decimals. */
const candidates = (values: (number | null | undefined)[]) =>
  [...new Set(values.filter((value): value is number => typeof value === "number").map((value) => Math.round(value * 100) / 100))]
    .sort((a, b) => a - b)
    .concat(Infinity);

/**
 * The pair of thresholds that maximises F1 over labelled observations (a grid
 * over the observed values of both signals); ties go to the higher, stricter
 * thresholds.
 */
export function calibrate(observations: Observation[]): Calibration {
  let best: Calibration | undefined;
  for (const similarity of candidates(observations.map((o) => o.similarity))) {
    for (const lexical of candidates(observations.map((o) => o.lexical))) {
      const scored = scoreOf(observations, { similarity, lexical });
      if (!best || scored.f1 > best.f1 + 1e-12 || (Math.abs(scored.f1 - best.f1) <= 1e-12 && similarity + lexical >= best.thresholds.similarity + best.thresholds.lexical)) {
        best = scored;
      }
    }
  }
  return best ?? { thresholds: RELEVANCE, f1: 0, precision: 0, recall: 0 };
}

export { scoreOf as relevanceScore };
