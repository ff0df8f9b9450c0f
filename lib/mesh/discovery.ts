import type { Product } from "../validation/product";

/** What discovery embeds about a product, and how it explains a match: pure functions. */

export function descriptionText(product: Pick<Product, "title" | "description" | "domain" | "name" | "tags">): string {
  const tags = product.tags.length ? ` Tags: ${product.tags.join(", ")}.` : "";
  return `${product.title}. ${product.description} Domain: ${product.domain.replaceAll("-", " ")}.${tags}`.trim();
}

export function schemaText(product: Pick<Product, "title" | "schema">): string {
  const fields = product.schema.fields.map((field) => {
    const name = field.name.replaceAll("_", " ");
    return field.description ? `${name}: ${field.description}` : name;
  });
  return `${product.title} records with ${fields.join("; ")}`;
}

/**
 * Human-readable reasons for a discovery match, one per signal that found it;
 * `recordsHidden`: the product was ranked by its metadata alone.
 */
export function matchReasons(
  match: {
    record: { key: string; similarity: number; rank: number } | null;
    description: { similarity: number; rank: number } | null;
    text: { bm25: number; rank: number } | null;
    words: { bm25: number; rank: number } | null;
  },
  status: string,
  recordsHidden = false,
): string[] {
  const reasons: string[] = [];
  const document = recordsHidden ? "metadata" : "records and metadata";
  if (match.record) {
    reasons.push(`record ${match.record.key} close in meaning (similarity ${match.record.similarity.toFixed(2)}, rank ${match.record.rank})`);
  }
  if (match.description) {
    reasons.push(`description close in meaning (similarity ${match.description.similarity.toFixed(2)}, rank ${match.description.rank})`);
  }
  if (match.text) {
    reasons.push(`keywords in its ${document} (BM25 ${match.text.bm25.toFixed(1)}, rank ${match.text.rank})`);
  }
  if (match.words) {
    reasons.push(`the question's own words in its ${document} (BM25 ${match.words.bm25.toFixed(1)}, rank ${match.words.rank})`);
  }
  if (status === "deprecated") reasons.push("deprecated: ranked last");
  return reasons;
}
