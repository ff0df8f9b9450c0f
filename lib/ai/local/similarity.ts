/**
 * The decisions of the offline inference models: pure vector and sentence
 * arithmetic (which label is closest, which sentences are most central).
 */

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The label most similar to the text; ties go to the earlier label. The score is the cosine similarity, rounded to 3 places. */
export function bestLabel(text: readonly number[], labels: readonly { label: string; embedding: readonly number[] }[]): { label: string; score: number } {
  let best = { label: labels[0]!.label, score: -Infinity };
  for (const { label, embedding } of labels) {
    const score = cosine(text, embedding);
    if (score > best.score) best = { label, score };
  }
  return { label: best.label, score: Math.round(best.score * 1000) / 1000 };
}

/** Splits text into sentences (after . ! ? and line breaks), trimmed, without empty ones. */
export function sentences(text: string): string[] {
  return (text.match(/[^.!?\n]+(?:[.!?]+|$)/gm) ?? []).map((sentence) => sentence.trim()).filter((sentence) => /\w/.test(sentence));
}

/**
 * Extractive summary: the `count` sentences most central to the text (highest
 * summed similarity to all sentences), in their original order.
 */
export function centralSentences(items: readonly string[], embeddings: readonly (readonly number[])[], count: number): string[] {
  if (items.length <= count) return [...items];
  const scores = items.map((_, i) => embeddings.reduce((sum, other, j) => (i === j ? sum : sum + cosine(embeddings[i]!, other)), 0));
  const chosen = scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, count)
    .map(({ index }) => index)
    .sort((a, b) => a - b);
  return chosen.map((index) => items[index]!);
}

/** Sentences a summary of `total` sentences keeps: a third, at least one, at most three. */
export const summaryLength = (total: number) => Math.max(1, Math.min(3, Math.ceil(total / 3)));
