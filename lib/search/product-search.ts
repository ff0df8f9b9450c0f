import { embedQuery } from "../ai/query-embedding";
import { getProductId } from "../db/products";
import { recordsByKeys } from "../db/records";
import { highlights, matchRecords } from "../db/retrieval";
import { findSemanticSearch } from "../db/semantic-search";
import { AppError } from "../errors";
import type { ProductRef } from "../paths";
import type { SemanticQueryInput, SemanticQueryResult } from "../validation/semantic-search";

/**
 * Searches one product's records for a question: the question is embedded
 * with the product's own model, ranked by the hybrid `match_records` SQL
 * (vector and full text), and the matched passages are highlighted. A product
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
  const embedding = await embedQuery(config.model, question);
  const matches = await matchRecords(productId, embedding, question, k);
  const keys = matches.map((match) => match.key);
  const [records, marked] = await Promise.all([recordsByKeys(productId, keys), highlights(productId, keys, question)]);
  return {
    model: config.model,
    fields: config.fields,
    results: matches.flatMap((match) => {
      const record = records.get(match.key);
      if (!record) return [];
      const highlight = marked.get(match.key);
      return [{ key: match.key, score: match.score, similarity: match.similarity, record: record.data, ...(highlight ? { highlights: highlight } : {}) }];
    }),
  };
}
