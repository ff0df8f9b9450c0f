import { CATEGORICAL_MAX_DISTINCT, CATEGORICAL_MAX_LENGTH, type FieldCatalog, type ValueCatalog } from "../mesh/plan/catalog";
import type { ProductSchema } from "../validation/product";
import { db } from "./client";

/**
 * The value catalog of a product, built in SQL over its records' JSON (the
 * same rules as `buildCatalog` in lib/mesh/plan/catalog.ts) and stored per
 * product with the load it was built for: a question reads it in one
 * indexed lookup, a load makes it stale and the next read rebuilds it.
 */

type FieldRow = {
  field: string;
  present: number;
  distinct: number;
  max_length: number | null;
  number_min: number | null;
  number_max: number | null;
  text_min: string | null;
  text_max: string | null;
};

export async function buildValueCatalog(productId: string, schema: ProductSchema): Promise<ValueCatalog> {
  const [stats, [total]] = await Promise.all([
    db().$queryRaw<FieldRow[]>`
      SELECT f.key AS field, count(*)::int AS present, count(DISTINCT f.value)::int AS distinct,
             max(length(f.value #>> '{}'))::int AS max_length,
             min((f.value #>> '{}')::float8) FILTER (WHERE jsonb_typeof(f.value) = 'number') AS number_min,
             max((f.value #>> '{}')::float8) FILTER (WHERE jsonb_typeof(f.value) = 'number') AS number_max,
             min(f.value #>> '{}') FILTER (WHERE jsonb_typeof(f.value) = 'string') AS text_min,
             max(f.value #>> '{}') FILTER (WHERE jsonb_typeof(f.value) = 'string') AS text_max
      FROM records r, jsonb_each(r.data) f
      WHERE r.product_id = ${productId}::uuid
      GROUP BY f.key`,
    db().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM records WHERE product_id = ${productId}::uuid`,
  ]);
  const byField = new Map(stats.map((row) => [row.field, row]));
  const categorical = schema.fields.filter((field) => {
    const row = byField.get(field.name);
    return (
      field.type === "string" && field.name !== schema.primaryKey && row &&
      row.distinct <= CATEGORICAL_MAX_DISTINCT && (row.max_length ?? 0) <= CATEGORICAL_MAX_LENGTH && row.distinct < row.present
    );
  });
  const sampled = schema.fields.filter((field) => field.type === "string" && !categorical.includes(field));
  const [values, samples] = await Promise.all([
    categorical.length
      ? db().$queryRaw<{ field: string; value: string; count: number }[]>`
          SELECT f.key AS field, f.value #>> '{}' AS value, count(*)::int AS count
          FROM records r, jsonb_each(r.data) f
          WHERE r.product_id = ${productId}::uuid AND f.key = ANY(${categorical.map((field) => field.name)}::text[])
          GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`
      : [],
    sampled.length
      ? db().$queryRaw<{ field: string; samples: string[] }[]>`
          SELECT s.field, (array_agg(s.value ORDER BY s.value))[1:5] AS samples
          FROM (SELECT DISTINCT f.key AS field, f.value #>> '{}' AS value
                FROM (SELECT data FROM records WHERE product_id = ${productId}::uuid ORDER BY key LIMIT 1000) r, jsonb_each(r.data) f
                WHERE f.key = ANY(${sampled.map((field) => field.name)}::text[])) s
          GROUP BY s.field`
      : [],
  ]);
  return {
    total: total?.count ?? 0,
    fields: schema.fields.map((field): FieldCatalog => {
      const row = byField.get(field.name);
      const entry: FieldCatalog = { name: field.name, type: field.type, present: row?.present ?? 0, distinct: row?.distinct ?? 0 };
      if (categorical.includes(field)) entry.values = values.filter((value) => value.field === field.name).map(({ value, count }) => ({ value, count }));
      else if (field.type === "string") entry.samples = samples.find((sample) => sample.field === field.name)?.samples ?? [];
      else if (field.type === "integer" || field.type === "number") {
        if (row?.number_min !== null && row?.number_min !== undefined) Object.assign(entry, { min: row.number_min, max: row.number_max });
      } else if (field.type !== "boolean" && row?.text_min) Object.assign(entry, { min: row.text_min, max: row.text_max });
      return entry;
    }),
  };
}

/** The stored catalog when it was built for the product's latest load, else a fresh one (stored for the next question). */
export async function valueCatalog(productId: string, schema: ProductSchema): Promise<ValueCatalog> {
  const [stored] = await db().$queryRaw<{ catalog: ValueCatalog; fresh: boolean }[]>`
    SELECT c.catalog, (c.loaded_at IS NOT DISTINCT FROM p.last_loaded_at AND c.built_at >= p.updated_at) AS fresh
    FROM value_catalogs c JOIN products p ON p.id = c.product_id
    WHERE c.product_id = ${productId}::uuid`;
  if (stored?.fresh) return stored.catalog;
  return refreshValueCatalog(productId, schema);
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
