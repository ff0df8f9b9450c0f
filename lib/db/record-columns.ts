import { buildColumn, columnFields, type RecordColumns } from "../mesh/plan/columns";
import type { ProductSchema } from "../validation/product";
import { db } from "./client";
import { Prisma } from "./generated/client";
import { valueCatalog } from "./value-catalog";

/**
 * A product's records as typed columns (lib/mesh/plan/columns.ts), read in
 * one statement and held in memory for the records version and schema they
 * were read at: any write to the product's records bumps its version
 * (migration records_version), so a question after a load, on any server,
 * reads them again. Held for every typed field and the categorical text
 * fields (the value catalog's), within a budget of cells across products;
 * a product beyond it is answered in SQL.
 */

export const COLUMN_CELL_BUDGET = 8_000_000;

interface Held {
  stamp: string;
  cells: number;
  columns: RecordColumns;
}

const holder = globalThis as unknown as { meshPortalRecordColumns?: Map<string, Held>; meshPortalColumnReads?: Map<string, Promise<Held | undefined>> };
/** Least recently used first. */
const held = (holder.meshPortalRecordColumns ??= new Map());
/** Reads under way, so that questions arriving together read a product once. */
const reading = (holder.meshPortalColumnReads ??= new Map());

/** The product's records version and last edit: the columns read for one stay good until it changes. */
const stampSql = (productId: string) => Prisma.sql`(SELECT records_version::text || '|' || updated_at::text FROM products WHERE id = ${productId}::uuid)`;

const stampOf = async (productId: string) => {
  const [row] = await db().$queryRaw<{ stamp: string | null }[]>`SELECT ${stampSql(productId)} AS stamp`;
  return row?.stamp ?? undefined;
};

async function read(productId: string, schema: ProductSchema): Promise<Held | undefined> {
  const catalog = await valueCatalog(productId, schema);
  const fields = columnFields(schema, (name) => Boolean(catalog.fields.find((field) => field.name === name)?.values));
  const cells = catalog.total * (fields.length + 1);
  if (fields.length === 0 || cells > COLUMN_CELL_BUDGET) return undefined;
  // The version and the records in one statement: one snapshot of both.
  const [row] = await db().$queryRaw<{ stamp: string | null; rows: string | null }[]>`
    SELECT ${stampSql(productId)} AS stamp,
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

function keep(productId: string, entry: Held) {
  held.delete(productId);
  held.set(productId, entry);
  let total = [...held.values()].reduce((sum, { cells }) => sum + cells, 0);
  for (const [id, { cells }] of held) {
    if (total <= COLUMN_CELL_BUDGET) break;
    held.delete(id);
    total -= cells;
  }
}

/** The product's columns as of its latest write, or undefined when it is answered in SQL. */
export async function recordColumns(productId: string, schema: ProductSchema): Promise<RecordColumns | undefined> {
  const stamp = await stampOf(productId);
  const current = held.get(productId);
  if (current && current.stamp === stamp) {
    keep(productId, current);
    return current.columns;
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
  return entry.columns;
}
