// lib/mesh: the domain rules as pure functions: no framework, database, model or environment.
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

/**
 * Why a new schema would not fit records stored under the old one: fields
 * cannot disappear or change type, the primary key cannot change, and an
 * optional field cannot become required. Adding optional fields, editing
 * descriptions and PII flags, and reordering are fine.
 */
export function schemaChangeProblems(previous: ProductSchema, next: ProductSchema): string[] {
  const problems: string[] = [];
  if (previous.primaryKey !== next.primaryKey) problems.push(`the primary key cannot change from ${previous.primaryKey}`);
  const nextFields = new Map(next.fields.map((field) => [field.name, field]));
  const previousNames = new Set(previous.fields.map((field) => field.name));
  for (const field of previous.fields) {
    const changed = nextFields.get(field.name);
    if (!changed) problems.push(`field ${field.name} cannot be removed`);
    else if (changed.type !== field.type) problems.push(`field ${field.name} cannot change type from ${field.type} to ${changed.type}`);
    else if (changed.required && !field.required) problems.push(`field ${field.name} cannot become required`);
  }
  for (const field of next.fields) {
    if (!previousNames.has(field.name) && field.required) problems.push(`new field ${field.name} must be optional`);
  }
  return problems;
}
