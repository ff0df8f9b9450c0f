/**
 * Scoring of the evaluation sets in ../shared/eval, exactly as its README
 * states the rules: retrieval metrics over (question, gold product) pairs and
 * answer accuracy on qa-dev.json from the chat's answer text. Pure functions.
 */

export type QaKind = "count" | "sum" | "average" | "min-max" | "filter-list" | "lookup" | "link" | "yes-no" | "out-of-scope";

export interface QaQuestion {
  id: string;
  question: string;
  kind: QaKind;
  products: string[];
  answer: { values: (string | number)[]; records: string[] };
  how?: string;
}

export interface QaScore {
  correct: boolean;
  /** Why the answer failed, in a few words; empty when correct. */
  why: string;
  cited: string[];
}

/** The opening is the first 600 characters of the answer, link targets left out. */
export const OPENING_CHARACTERS = 600;

/** Lower case, no thousands separators or currency symbols, no trailing `.0`. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/(\d),(?=\d{3}(?!\d))/g, "$1")
    .replace(/[$€£]/g, "")
    .replace(/(\d+)\.0(?!\d)/g, "$1");
}

/** The answer's first 600 characters with the `(...)` targets of Markdown links removed. */
export function opening(answer: string): string {
  return answer.replace(/\]\([^)]*\)/g, "]").slice(0, OPENING_CHARACTERS);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The whole-number tokens of a normalised text ("3" in "3.4" is not one). */
function numberTokens(text: string): Set<string> {
  return new Set(text.match(/(?<![\d.])\d+(?:\.\d+)?(?![\d.]*\d)/g) ?? []);
}

/** The ways a gold number may be written: itself, and for decimals its rounding to one decimal fewer. */
function numberForms(value: number): string[] {
  const decimals = (String(value).split(".")[1] ?? "").length;
  if (decimals === 0) return [String(value)];
  return [value.toFixed(decimals), value.toFixed(decimals - 1)].map((form) => normalise(form));
}

/** Whether a gold value is stated in the opening, by the README's rules. */
export function statesValue(openingText: string, value: string | number): boolean {
  const text = normalise(openingText);
  if (typeof value === "number") {
    const tokens = numberTokens(text);
    return numberForms(value).some((form) => tokens.has(form));
  }
  const wanted = normalise(value);
  const letters = wanted.replace(/[^a-z]/g, "").length;
  if (letters <= 3) return new RegExp(`(?<![a-z0-9])${escapeRegExp(wanted)}(?![a-z0-9])`).test(text);
  return text.includes(wanted);
}

/** The records an answer links to (`/products/{domain}/{name}/records/{key}`), as `domain/name#key`. */
export function citedRecords(answer: string): string[] {
  const cited = new Set<string>();
  for (const [, target] of answer.matchAll(/\]\(([^)\s]+)\)/g)) {
    const match = /\/products\/([^/]+)\/([^/]+)\/records\/([^/?#]+)/.exec(target!);
    if (!match) continue;
    const [, domain, name, key] = match;
    try {
      cited.add(`${decodeURIComponent(domain!)}/${decodeURIComponent(name!)}#${decodeURIComponent(key!)}`);
    } catch {
      cited.add(`${domain}/${name}#${key}`);
    }
  }
  return [...cited];
}

/** The answer says that nothing relevant was found. */
export function saysNothingFound(answer: string): boolean {
  return /\bnothing (?:relevant|related)\b|\bno relevant\b|\bfound nothing\b/i.test(opening(answer));
}

export function scoreQa(question: QaQuestion, answer: string): QaScore {
  const cited = citedRecords(answer);
  const gold = question.answer.records;
  if (question.kind === "out-of-scope") {
    if (!saysNothingFound(answer)) return { correct: false, why: "does not say nothing relevant was found", cited };
    if (cited.length) return { correct: false, why: `cites ${cited.length} record(s)`, cited };
    return { correct: true, why: "", cited };
  }
  if (question.kind === "filter-list") {
    const missing = gold.filter((record) => !cited.includes(record));
    const extra = cited.filter((record) => !gold.includes(record));
    if (missing.length) return { correct: false, why: `misses ${missing.length} of ${gold.length} gold records`, cited };
    if (extra.length > 2) return { correct: false, why: `cites ${extra.length} records beyond the gold ones`, cited };
    return { correct: true, why: "", cited };
  }
  const head = opening(answer);
  const absent = question.answer.values.filter((value) => !statesValue(head, value));
  if (absent.length) return { correct: false, why: `opening lacks ${absent.map((value) => JSON.stringify(value)).join(", ")}`, cited };
  if (!gold.some((record) => cited.includes(record))) return { correct: false, why: "cites no gold record", cited };
  return { correct: true, why: "", cited };
}

/** Accuracy overall and per kind, with the ids that failed. */
export function summariseQa(results: { question: QaQuestion; score: QaScore }[]) {
  const kinds = new Map<string, { total: number; correct: number }>();
  for (const { question, score } of results) {
    const kind = kinds.get(question.kind) ?? { total: 0, correct: 0 };
    kind.total++;
    if (score.correct) kind.correct++;
    kinds.set(question.kind, kind);
  }
  const correct = results.filter((result) => result.score.correct).length;
  return {
    accuracy: results.length ? correct / results.length : 0,
    correct,
    total: results.length,
    kinds: Object.fromEntries([...kinds].map(([kind, { total, correct: right }]) => [kind, { total, correct: right, accuracy: right / total }])),
    failed: results.filter((result) => !result.score.correct).map((result) => `${result.question.id} (${result.score.why})`),
  };
}

/** The 1-based rank of the first of `gold` in `ranked`, or 0 when absent. */
export function rankOf(ranked: string[], gold: string[]): number {
  const index = ranked.findIndex((item) => gold.includes(item));
  return index + 1;
}

/** Recall@k and mean reciprocal rank over pairs, each given as the rank of its gold item (0 = not found). */
export function rankMetrics(ranks: number[], k: number) {
  const hits = ranks.filter((rank) => rank > 0 && rank <= k).length;
  return {
    pairs: ranks.length,
    hits,
    recall: ranks.length ? hits / ranks.length : 0,
    mrr: ranks.length ? ranks.reduce((sum, rank) => sum + (rank > 0 ? 1 / rank : 0), 0) / ranks.length : 0,
  };
}

/** Metrics of several sets pooled into one, as if their pairs were one set. */
export function pooled(metrics: ReturnType<typeof rankMetrics>[]): ReturnType<typeof rankMetrics> {
  const pairs = metrics.reduce((sum, metric) => sum + metric.pairs, 0);
  const hits = metrics.reduce((sum, metric) => sum + metric.hits, 0);
  const reciprocal = metrics.reduce((sum, metric) => sum + metric.mrr * metric.pairs, 0);
  return { pairs, hits, recall: pairs ? hits / pairs : 0, mrr: pairs ? reciprocal / pairs : 0 };
}
