import { embedQuery } from "../ai/query-embedding";
import { questionWords } from "../db/lexical";
import type { QueryWord } from "../db/retrieval";
import { memoized } from "../runtime/memo";

/**
 * The question's words (as the lexical index tokenises them) embedded one by
 * one with `model`, for the word-embedding expansion of the BM25 query. Each
 * word's embedding is cached like a question's, and the words of a question
 * too: a question asks discovery and each of its candidate products, all with
 * the same words, and the tokeniser (the database's text search
 * configuration) changes only with a migration.
 */

const wordsOf = memoized<string[]>("question-words", 500);

export async function embedQuestionWords(model: string, question: string): Promise<QueryWord[]> {
  const found = await wordsOf(question, () => questionWords(question));
  const embeddings = await Promise.all(found.map((word) => embedQuery(model, word)));
  return found.map((word, index) => ({ word, embedding: embeddings[index]! }));
}
