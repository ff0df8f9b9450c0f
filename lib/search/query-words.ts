import { embedQuery } from "../ai/query-embedding";
import { questionWords } from "../db/lexical";
import type { QueryWord } from "../db/retrieval";

/**
 * The question's words (as the lexical index tokenises them) embedded one by
 * one with `model`, for the word-embedding expansion of the BM25 query. Each
 * word's embedding is cached like a question's.
 */
export async function embedQuestionWords(model: string, question: string): Promise<QueryWord[]> {
  const words = await questionWords(question);
  const embeddings = await Promise.all(words.map((word) => embedQuery(model, word)));
  return words.map((word, index) => ({ word, embedding: embeddings[index]! }));
}
