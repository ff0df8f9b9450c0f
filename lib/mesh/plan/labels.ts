import type { ProductSchema } from "../../validation/product";
import { fieldCatalog, type ValueCatalog } from "./catalog";
import { contentStems } from "./text";

/**
 * The fields that name a record to a reader (the establishment of an inspection, the service of an
 * incident), chosen from the schema and the value statistics, not from a list of field names:
 * short text that is neither the key, an identifier code, free text nor a category of a few values.
 * Fields whose name or description says "name" or "title" come first, then schema order. Pure.
 */

export const CODE = /^[A-Za-z]{1,8}-[A-Za-z0-9]*\d[A-Za-z0-9-]*$/;
/** Longer values on average are sentences (notes, summaries), not names. */
const MAX_MEAN_LENGTH = 40;
/** Fewer distinct values per record than this is a category (status, severity), not a name. */
const MIN_DISTINCT_SHARE = 0.2;
const NAMING = new Set(["nam", "titl"]);

const mean = (values: string[]) => values.reduce((sum, value) => sum + value.length, 0) / Math.max(1, values.length);

export function labelFieldsOf(schema: ProductSchema, catalog?: ValueCatalog): string[] {
  const ranked = schema.fields.flatMap((field, order) => {
    if (field.type !== "string" || field.name === schema.primaryKey) return [];
    const stats = catalog && fieldCatalog(catalog, field.name);
    const seen = stats ? [...(stats.values?.map((entry) => entry.value) ?? []), ...(stats.samples ?? [])] : [];
    if (seen.length && (seen.filter((value) => CODE.test(value)).length * 2 > seen.length || mean(seen) > MAX_MEAN_LENGTH)) return [];
    if (stats && stats.present > 0 && (stats.distinct < 2 || stats.distinct / stats.present < MIN_DISTINCT_SHARE)) return [];
    const naming = [...contentStems(field.name), ...contentStems(field.description ?? "")].some((stem) => NAMING.has(stem));
    return [{ name: field.name, rank: (naming ? 0 : 1) * schema.fields.length + order }];
  });
  return ranked.sort((a, b) => a.rank - b.rank).map((entry) => entry.name);
}
