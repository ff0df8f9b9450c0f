import { CATEGORICAL_MAX_DISTINCT, CATEGORICAL_MAX_LENGTH, type FieldCatalog, type ValueCatalog } from "../mesh/plan/catalog";
import type { ProductSchema } from "../validation/product";
import { db } from "./client";
import { Prisma } from "./generated/client";

/**
 * The value catalog of a product, built in SQL over its records' JSON (the
 * same rules as `buildCatalog` in lib/mesh/plan/catalog.ts) and stored per
 * product with the load it was built for: a question reads it in one
 * indexed lookup, a load makes it stale and the next read rebuilds it.
 */

/**
 * One scan for every field's presence and range, then one grouped count per
 * text field, stopped past the categorical limit: a text field with more
 * distinct values keeps only samples (its most frequent values), and its
 * `distinct` reads CATEGORICAL_MAX_DISTINCT + 1, "more than the limit".
 */
export async function buildValueCatalog(productId: string, schema: ProductSchema): Promise<ValueCatalog> {
  const pairs = schema.fields.flatMap((field, index) => {
    const value = Prisma.sql`(r.data ->> ${field.name})`;
    const stat = (name: string, sql: Prisma.Sql) => [Prisma.sql`${`${index}:${name}`}::text`, sql];
    const numeric = field.type === "integer" || field.type === "number";
    const dated = field.type === "date" || field.type === "timestamp";
    return [
      ...stat("present", Prisma.sql`count(${value})`),
      ...(numeric ? [...stat("min", Prisma.sql`min(${value}::float8)`), ...stat("max", Prisma.sql`max(${value}::float8)`)] : []),
      ...(dated ? [...stat("min", Prisma.sql`min(${value})`), ...stat("max", Prisma.sql`max(${value})`)] : []),
    ];
  });
  const [row] = await db().$queryRaw<{ total: number; stats: Record<string, number | string | null> }[]>`
    SELECT count(*)::int AS total, jsonb_build_object(${Prisma.join(pairs)}) AS stats
    FROM records r WHERE r.product_id = ${productId}::uuid`;
  const stats = row?.stats ?? {};
  const fields: FieldCatalog[] = [];
  for (const [index, field] of schema.fields.entries()) {
    const stat = (name: string) => stats[`${index}:${name}`] ?? null;
    const present = Number(stat("present") ?? 0);
    const entry: FieldCatalog = { name: field.name, type: field.type, present, distinct: 0 };
    if (field.type === "string") {
      const values = await db().$queryRaw<{ value: string; count: number }[]>`
        SELECT s.v AS value, count(*)::int AS count
        FROM (SELECT r.data ->> ${field.name} AS v FROM records r WHERE r.product_id = ${productId}::uuid) s
        WHERE s.v IS NOT NULL
        GROUP BY s.v ORDER BY count(*) DESC, s.v
        LIMIT ${CATEGORICAL_MAX_DISTINCT + 1}`;
      entry.distinct = values.length;
      const categorical =
        field.name !== schema.primaryKey && values.length <= CATEGORICAL_MAX_DISTINCT && values.length < present && values.every(({ value }) => value.length <= CATEGORICAL_MAX_LENGTH);
      if (categorical) entry.values = values;
      else entry.samples = values.slice(0, 5).map(({ value }) => value).sort();
    } else if (stat("min") !== null) {
      entry.min = stat("min")!;
      entry.max = stat("max")!;
    }
    fields.push(entry);
  }
  return { total: row?.total ?? 0, fields };
}

/**
 * A product's stamp: its records version (bumped by every statement that
 * writes its records, on any server), its last load and its last edit. The
 * catalog and the record columns held in memory are good while it holds.
 */
export const productStampSql = (productId: string) =>
  Prisma.sql`(SELECT records_version::text || '|' || coalesce(last_loaded_at::text, '') || '|' || updated_at::text FROM products WHERE id = ${productId}::uuid)`;

export interface CatalogSnapshot {
  catalog: ValueCatalog;
  /** The product's stamp the catalog is good for. */
  stamp: string;
}

/** Catalogs already read, by product, with the product's stamp they were read at. */
const holder = globalThis as unknown as { meshPortalValueCatalogs?: Map<string, CatalogSnapshot> };
const memory = (holder.meshPortalValueCatalogs ??= new Map());
const MEMORY_LIMIT = 200;

/**
 * The catalog built for the product's latest load: from memory when the
 * product has not changed since, else the stored one, else a fresh one
 * (stored for the next question).
 */
export async function valueCatalog(productId: string, schema: ProductSchema): Promise<ValueCatalog> {
  return (await currentCatalog(productId, schema)).catalog;
}

/**
 * The catalog held in memory, unchecked, with the stamp it was read at, else
 * the current one: for a caller that verifies the stamp in its own next
 * statement (the executor's, `executePlan` with `stamp`) and asks again with
 * `currentCatalog` when it moved.
 */
export async function heldCatalog(productId: string, schema: ProductSchema): Promise<CatalogSnapshot> {
  return memory.get(productId) ?? currentCatalog(productId, schema);
}

/** The catalog as of the product's current stamp, with that stamp. */
export async function currentCatalog(productId: string, schema: ProductSchema): Promise<CatalogSnapshot> {
  const [product] = await db().$queryRaw<{ stamp: string | null }[]>`SELECT ${productStampSql(productId)} AS stamp`;
  const stamp = product?.stamp ?? "";
  const remembered = memory.get(productId);
  if (remembered?.stamp === stamp) return remembered;
  const [stored] = await db().$queryRaw<{ catalog: ValueCatalog; fresh: boolean }[]>`
    SELECT c.catalog, (c.loaded_at IS NOT DISTINCT FROM p.last_loaded_at AND c.built_at >= p.updated_at) AS fresh
    FROM value_catalogs c JOIN products p ON p.id = c.product_id
    WHERE c.product_id = ${productId}::uuid`;
  const snapshot = { stamp, catalog: stored?.fresh ? stored.catalog : await refreshValueCatalog(productId, schema) };
  memory.delete(productId);
  memory.set(productId, snapshot);
  if (memory.size > MEMORY_LIMIT) memory.delete(memory.keys().next().value!);
  return snapshot;
}

export async function refreshValueCatalog(productId: string, schema: ProductSchema): Promise<ValueCatalog> {
  const [product] = await db().$queryRaw<{ loaded_at: Date | null }[]>`SELECT last_loaded_at AS loaded_at FROM products WHERE id = ${productId}::uuid`;
  const catalog = await buildValueCatalog(productId, schema);
  await db().$executeRaw`
    INSERT INTO value_catalogs (product_id, catalog, loaded_at, built_at)
    VALUES (${productId}::uuid, ${JSON.stringify(catalog)}::jsonb, ${product?.loaded_at ?? null}, clock_timestamp())
    ON CONFLICT (product_id) DO UPDATE SET catalog = EXCLUDED.catalog, loaded_at = EXCLUDED.loaded_at, built_at = EXCLUDED.built_at`;
  return catalog;
}
