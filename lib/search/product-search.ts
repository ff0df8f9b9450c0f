import { embedQuery } from "../ai/query-embedding";
import { getProductId } from "../db/products";
import { recordsByKeys } from "../db/records";
import { highlights, matchRecords } from "../db/retrieval";
import { findSemanticSearch } from "../db/semantic-search";
import { AppError } from "../errors";
import type { ProductRef } from "../paths";
import type { SemanticQueryInput, SemanticQueryResult } from "../validation/semantic-search";
import { embedQuestionWords } from "./query-words";
import { bestOfViews, clauseViews } from "./ranking";

/**
 * Searches one product's records for a question: the question (and, when it
 * has several parts, each clause) is embedded with the product's own model,
 * with its words one by one for the query expansion, and ranked by the
 * hybrid `match_records` SQL (vector and word-embedding-expanded BM25); each
 * record keeps its best view, and the matched passages are highlighted. A product
 * whose semantic search is off, indexing or failed is a 409 (the federated
 * query then skips it).
 */
export async function searchProduct({ domain, name }: ProductRef, { question, k }: SemanticQueryInput): Promise<SemanticQueryResult> {
  const productId = await getProductId(domain, name);
  const config = await findSemanticSearch(productId);
  if (!config) {
    throw new AppError("conflict", `Semantic search is not enabled for ${domain}/${name}; its owner can enable it on the product page.`);
  }
  if (config.status !== "ready") {
    throw new AppError(
      "conflict",
      config.status === "failed"
        ? `Semantic search of ${domain}/${name} failed to index: ${config.error ?? "unknown error"}`
        : `Semantic search of ${domain}/${name} is still indexing (${config.indexed} of ${config.total} records); try again shortly.`,
    );
  }
  const views = clauseViews(question);
  const matches = bestOfViews(await Promise.all(views.map((view) => searchView(productId, config.model, view, k))), k);
  const keys = matches.map((match) => match.key);
  const [records, marked] = await Promise.all([recordsByKeys(productId, keys), highlights(productId, keys, question)]);
  return {
    model: config.model,
    fields: config.fields,
    results: matches.flatMap((match) => {
      const record = records.get(match.key);
      if (!record) return [];
      const highlight = marked.get(match.key);
      return [
        {
          key: match.key,
          score: match.score,
          similarity: match.similarity,
          lexical: match.lexical,
          record: record.data,
          ...(highlight ? { highlights: highlight } : {}),
        },
      ];
    }),
  };
}

/** One view of the question: its embedding, and its words' embeddings for the query expansion. */
async function searchView(productId: string, model: string, view: string, k: number) {
  const [embedding, words] = await Promise.all([embedQuery(model, view), embedQuestionWords(model, view)]);
  return matchRecords(productId, embedding, view, k, { words });
}
