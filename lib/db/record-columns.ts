import { buildColumn, columnFields, type RecordColumns } from "../mesh/plan/columns";
import type { ProductSchema } from "../validation/product";
import { db } from "./client";
import { Prisma } from "./generated/client";
import { productStampSql, valueCatalog } from "./value-catalog";

/**
 * A product's records as typed columns (lib/mesh/plan/columns.ts), read in
 * one statement and held in memory with the product's stamp they were read
 * at (lib/db/value-catalog.ts `productStampSql`): any write to the product's
 * records bumps its records version (migration records_version), so a
 * question after a load, on any server, reads them again. The executor uses
 * the held columns without asking first and checks the stamp in the
 * statement that fetches its rows (`heldColumns`), or asks first
 * (`recordColumns`). Held for every typed field and the categorical text
 * fields (the value catalog's), within a budget of cells across products;
 * a product beyond it is answered in SQL.
 */

export const COLUMN_CELL_BUDGET = 8_000_000;

export interface HeldColumns {
  stamp: string;
  cells: number;
  columns: RecordColumns;
}

const holder = globalThis as unknown as { meshPortalRecordColumns?: Map<string, HeldColumns>; meshPortalColumnReads?: Map<string, Promise<HeldColumns | undefined>> };
/** Least recently used first. */
const held = (holder.meshPortalRecordColumns ??= new Map());
/** Reads under way, so that questions arriving together read a product once. */
const reading = (holder.meshPortalColumnReads ??= new Map());

/** The product's current stamp (undefined when it is gone). */
export async function productStamp(productId: string): Promise<string | undefined> {
  const [row] = await db().$queryRaw<{ stamp: string | null }[]>`SELECT ${productStampSql(productId)} AS stamp`;
  return row?.stamp ?? undefined;
}

async function read(productId: string, schema: ProductSchema): Promise<HeldColumns | undefined> {
  const catalog = await valueCatalog(productId, schema);
  const fields = columnFields(schema, (name) => Boolean(catalog.fields.find((field) => field.name === name)?.values));
  const cells = catalog.total * (fields.length + 1);
  if (fields.length === 0 || cells > COLUMN_CELL_BUDGET) return undefined;
  // The stamp and the records in one statement: one snapshot of both.
  const [row] = await db().$queryRaw<{ stamp: string | null; rows: string | null }[]>`
    SELECT ${productStampSql(productId)} AS stamp,
           (SELECT json_agg(json_build_array(r.key, ${Prisma.join(fields.map((field) => Prisma.sql`r.data -> ${field.name}`))}) ORDER BY r.key)::text
            FROM records r WHERE r.product_id = ${productId}::uuid) AS rows`;
  if (!row?.stamp) return undefined;
  const records = JSON.parse(row.rows ?? "[]") as unknown[][];
  const columns: RecordColumns = {
    keys: records.map((record) => record[0] as string),
    columns: new Map(fields.map((field, at) => [field.name, buildColumn(field.type, records.map((record) => record[at + 1]))])),
  };
  return { stamp: row.stamp, cells: records.length * (fields.length + 1), columns };
}

function keep(productId: string, entry: HeldColumns) {
  held.delete(productId);
  held.set(productId, entry);
  let total = [...held.values()].reduce((sum, { cells }) => sum + cells, 0);
  for (const [id, { cells }] of held) {
    if (total <= COLUMN_CELL_BUDGET) break;
    held.delete(id);
    total -= cells;
  }
}

/** The columns held for the product, unchecked (the caller verifies their stamp), else read now. */
export async function heldColumns(productId: string, schema: ProductSchema): Promise<HeldColumns | undefined> {
  const current = held.get(productId);
  if (current) {
    keep(productId, current);
    return current;
  }
  return columnsAt(productId, schema, await productStamp(productId));
}

/** The columns as of `stamp` (the product's current one): held ones when they are of it, else read once for all who ask. */
export async function columnsAt(productId: string, schema: ProductSchema, stamp: string | undefined): Promise<HeldColumns | undefined> {
  const current = held.get(productId);
  if (current && current.stamp === stamp) {
    keep(productId, current);
    return current;
  }
  const key = `${productId}|${stamp}`;
  let pending = reading.get(key);
  if (!pending) {
    pending = read(productId, schema).finally(() => reading.delete(key));
    reading.set(key, pending);
  }
  const entry = await pending;
  if (!entry) return undefined;
  keep(productId, entry);
  return entry;
}

/** The product's columns as of its latest write, or undefined when it is answered in SQL. */
export async function recordColumns(productId: string, schema: ProductSchema): Promise<RecordColumns | undefined> {
  return (await columnsAt(productId, schema, await productStamp(productId)))?.columns;
}
