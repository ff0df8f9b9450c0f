/** Pure helpers of the benchmark (scripts/bench.ts): percentiles, recall, formatting. */

/** The p-th percentile (0–100) of `values` by linear interpolation between closest ranks; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: values.length ? Math.max(...values) : Number.NaN,
    mean: values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN,
  };
}

/**
 * recall@k by identity: the share of the exact top-k keys that the approximate
 * top-k contains. Only the first k of each list count.
 */
export function recallAtK(approximate: readonly string[], exact: readonly string[], k: number): number {
  const truth = new Set(exact.slice(0, k));
  if (truth.size === 0) return Number.NaN;
  return approximate.slice(0, k).filter((key) => truth.has(key)).length / truth.size;
}

/**
 * recall@k that tolerates ties: an approximate result counts when it is at
 * least as close as the exact k-th neighbour (distances, smaller is closer).
 * With duplicate texts many records share one vector, and which of the
 * equally distant ones fill the last places is arbitrary; by identity such a
 * swap would count as a miss although the answer is as good.
 */
export function tieAwareRecallAtK(approximateDistances: readonly number[], exactKthDistance: number, k: number, epsilon = 1e-6): number {
  if (k < 1) throw new RangeError("k must be at least 1");
  return approximateDistances.slice(0, k).filter((distance) => distance <= exactKthDistance + epsilon).length / k;
}

/**
 * recall@k of labels that may repeat (e.g. a record's embedded text: records
 * with the same text are equally good answers): the size of the multiset
 * intersection of the two top-k lists, over k (or the exact list's length if
 * shorter). Only the first k of each list count.
 */
export function multisetRecallAtK(approximate: readonly string[], exact: readonly string[], k: number): number {
  const truth = exact.slice(0, k);
  if (truth.length === 0) return Number.NaN;
  const left = new Map<string, number>();
  for (const label of truth) left.set(label, (left.get(label) ?? 0) + 1);
  let hits = 0;
  for (const label of approximate.slice(0, k)) {
    const remaining = left.get(label) ?? 0;
    if (remaining > 0) {
      hits++;
      left.set(label, remaining - 1);
    }
  }
  return hits / truth.length;
}

export const mean = (values: readonly number[]): number =>
  values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN;

/** A Markdown table; cells are printed as given. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Parses "10000,100k,1e5" into numbers. */
export function parseSizes(text: string): number[] {
  return text.split(",").map((part) => {
    const trimmed = part.trim().toLowerCase();
    const value = trimmed.endsWith("k") ? Number(trimmed.slice(0, -1)) * 1000 : Number(trimmed);
    if (!Number.isInteger(value) || value < 1) throw new Error(`Not a record count: ${part}`);
    return value;
  });
}
