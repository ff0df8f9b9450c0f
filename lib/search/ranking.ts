/**
 * Pure ranking helpers of record retrieval: the views a question is searched
 * in (the whole question and, when it has several parts, each clause), and the
 * fusion of their rankings (a record keeps its best view).
 */

/** A clause needs this many words to be searched on its own. */
const MIN_CLAUSE_WORDS = 3;

const QUESTION_WORD = "(?:what|which|who|whom|whose|where|when|why|how|did|was|were|is|are|had|has|do|does)\\b";

/**
 * Boundaries between the parts of a multi-part question: sentence ends, a
 * colon, semicolon or dash, a comma before "and/but/or", and a comma or "and"
 * before a new question word ("…, what did…", "…and how many…").
 */
const CLAUSE_BOUNDARY = new RegExp(
  `[.?!;:]+\\s+|\\s+[-–—]+\\s+|,\\s*(?:and|but|or)\\s+|(?:,|\\s+and)\\s+(?=${QUESTION_WORD})`,
  "i",
);

/** The whole question first, then its clauses (only when there are at least two). */
export function clauseViews(question: string): string[] {
  const whole = question.trim();
  const clauses = whole
    .split(CLAUSE_BOUNDARY)
    .map((clause) => clause.trim().replace(/[.?!;:,]+$/, ""))
    .filter((clause) => clause.split(/\s+/).length >= MIN_CLAUSE_WORDS);
  const distinct = [...new Set(clauses)].filter((clause) => clause !== whole);
  return distinct.length >= 2 ? [whole, ...distinct] : [whole];
}

/**
 * Best of several views: each record keeps the view where it scored highest
 * (and that view's signals); ties go by key. `score` must be comparable across
 * views (reciprocal-rank fusion scores are).
 */
export function bestOfViews<T extends { key: string; score: number }>(views: T[][], k: number): T[] {
  const best = new Map<string, T>();
  for (const view of views) {
    for (const match of view) {
      const current = best.get(match.key);
      if (!current || match.score > current.score) best.set(match.key, match);
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, k);
}
