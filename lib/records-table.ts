import { recordsPage, type StoredRecord } from "./db/records";
import type { RecordsSort } from "./record-url";
import type { Product } from "./validation/product";
import { RECORDS_PAGE_SIZE, recordsTableQuerySchema } from "./validation/records";

/**
 * A page of the product page's records table, sorted by a schema field
 * (numerically for integer and number fields); the primary key by default.
 * An unknown field or a page past the end falls back to a valid one.
 */
export async function recordsTable(
  product: Product,
  query: unknown,
): Promise<RecordsSort & { sort: string; records: StoredRecord[]; pages: number }> {
  const { sort, dir, page } = recordsTableQuerySchema.parse(query);
  const field =
    product.schema.fields.find((candidate) => candidate.name === sort) ??
    product.schema.fields.find((candidate) => candidate.name === product.schema.primaryKey)!;
  const pages = Math.max(1, Math.ceil(product.recordCount / RECORDS_PAGE_SIZE));
  const current = Math.min(page, pages);
  const records = await recordsPage(product.id, {
    field: field.name,
    numeric: field.type === "integer" || field.type === "number",
    direction: dir,
    limit: RECORDS_PAGE_SIZE,
    offset: (current - 1) * RECORDS_PAGE_SIZE,
  });
  return { sort: field.name, dir, page: current, pages, records };
}
