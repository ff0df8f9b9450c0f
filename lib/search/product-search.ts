import { embedQuery } from "../ai/query-embedding";
import { getProductId } from "../db/products";
import { recordsByKeys } from "../db/records";
import { highlights, matchRecords, type Match } from "../db/retrieval";
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
  const { matches } = await rankRecords(productId, config.model, question, k);
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

/**
 * The hybrid ranking of a product's records for a question, as search and the
 * answer engine use it: the question and each of its clauses embedded with
 * the product's model (`model`), with their words for the query expansion,
 * ranked by `match_records`, each record keeping its best view. Also returns
 * the whole question's embedding.
 */
export async function rankRecords(productId: string, model: string, question: string, k: number): Promise<{ matches: Match[]; embedding: number[] }> {
  const views = await Promise.all(clauseViews(question).map((view) => searchView(productId, model, view, k)));
  return { matches: bestOfViews(views.map((view) => view.matches), k), embedding: views[0]!.embedding };
}

/** One view of the question: its embedding, and its words' embeddings for the query expansion. */
async function searchView(productId: string, model: string, view: string, k: number) {
  const [embedding, words] = await Promise.all([embedQuery(model, view), embedQuestionWords(model, view)]);
  return { matches: await matchRecords(productId, embedding, view, k, { words }), embedding };
}
