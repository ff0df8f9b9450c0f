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

const KIND_REASON = {
  description: "description and tags",
  schema: "schema fields",
  records: "record contents",
} as const;

/** Human-readable reasons for a discovery match. */
export function matchReasons(match: {
  similarity: number | null;
  bestKind: keyof typeof KIND_REASON | null;
  textRank: number | null;
  status: string;
}): string[] {
  const reasons: string[] = [];
  if (match.bestKind && match.similarity !== null) {
    reasons.push(`meaning close to its ${KIND_REASON[match.bestKind]} (similarity ${match.similarity.toFixed(2)})`);
  }
  if (match.textRank !== null) reasons.push(`keywords in its metadata (rank ${match.textRank})`);
  if (match.status === "deprecated") reasons.push("deprecated: ranked last");
  return reasons;
}
