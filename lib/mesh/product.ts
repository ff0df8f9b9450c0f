import type { ProductInput, ProductSchema, ProductStatus } from "../validation/product";

/** Domain rules for data products: pure functions, no framework or database. */

export function productAddress(product: { domain: string; name: string }): string {
  return `${product.domain}/${product.name}`;
}

/**
 * The text keyword search runs over: name, title, description, tags, field
 * names and field descriptions, lower-cased.
 */
export function buildSearchText(
  product: Pick<ProductInput, "name" | "title" | "description" | "tags"> & { domain: string; schema: ProductSchema },
): string {
  return [
    product.domain,
    product.name,
    product.title,
    product.description,
    ...product.tags,
    ...product.schema.fields.flatMap((field) => [field.name, field.description]),
  ]
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
}

/** Splits a keyword query into lower-cased terms; every term must match. */
export function searchTerms(query: string | undefined): string[] {
  if (!query) return [];
  return [...new Set(query.toLowerCase().split(/\s+/).filter(Boolean))].slice(0, 10);
}

export type DeletionDecision = { allowed: true } | { allowed: false; reason: string };

/** A product that holds records is deprecated, never deleted: consumers may depend on it. */
export function deletionDecision(recordCount: number, status: ProductStatus): DeletionDecision {
  if (recordCount > 0) {
    const hint = status === "deprecated" ? "It is already deprecated." : "Deprecate it instead.";
    return {
      allowed: false,
      reason: `This product holds ${recordCount} record${recordCount === 1 ? "" : "s"} and cannot be deleted. ${hint}`,
    };
  }
  return { allowed: true };
}
