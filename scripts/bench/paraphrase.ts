/** Questions written from record texts (pure; see questions.ts for where the texts come from). */

export const TEMPLATES: readonly ((text: string) => string)[] = [
  (text) => text,
  (text) => `records about ${text}`,
  (text) => `anything like: ${text}`,
  (text) => `cases where ${text}?`,
  (text) => `${text}, similar reports`,
];

/** A field's text as the body of a question: its first sentence, without the closing stop, first letter in lower case. */
export function questionText(text: string): string {
  const sentence = (text.trim().split(/(?<=[.!?])\s+/)[0] ?? "").replace(/[.!?]+$/, "").trim();
  return sentence ? sentence[0]!.toLowerCase() + sentence.slice(1) : "";
}

/**
 * `total` distinct questions: the `seed` questions first (duplicates dropped),
 * then the held-out texts through TEMPLATES in turn, skipping empty texts and
 * repeats. Throws when the texts do not give enough.
 */
export function distinctQuestions(seed: readonly string[], heldOutTexts: readonly string[], total: number): string[] {
  const questions = new Set<string>();
  for (const question of seed) {
    if (questions.size === total) break;
    questions.add(question);
  }
  let turn = 0;
  for (const text of heldOutTexts) {
    if (questions.size === total) break;
    const body = questionText(text);
    if (!body) continue;
    const question = TEMPLATES[turn++ % TEMPLATES.length]!(body);
    questions.add(question);
  }
  if (questions.size < total) throw new Error(`Only ${questions.size} distinct questions from ${heldOutTexts.length} held-out texts; ${total} needed`);
  return [...questions];
}
