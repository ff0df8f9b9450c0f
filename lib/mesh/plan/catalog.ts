import type { FieldType } from "../../validation/product";

/**
 * The value catalog of a product: per field, how many records hold it, its
 * distinct values when there are few and they are short (categorical text),
 * its range when it is a number or a date, and a few sample values of the
 * other text fields (to recognise identifier formats). Built in SQL
 * (lib/db/value-catalog.ts) whenever records are loaded.
 */

export interface FieldCatalog {
  name: string;
  type: FieldType;
  /** Records that hold a value. */
  present: number;
  /** Distinct values; CATEGORICAL_MAX_DISTINCT + 1 for text fields with more. */
  distinct: number;
  /** Every distinct value with its count, for categorical text fields. */
  values?: { value: string; count: number }[];
  /** Sample values of other text fields. */
  samples?: string[];
  min?: number | string;
  max?: number | string;
}

export interface ValueCatalog {
  total: number;
  fields: FieldCatalog[];
}

/** Text fields with at most this many distinct values, each short, some repeated, are categorical. */
export const CATEGORICAL_MAX_DISTINCT = 100;
export const CATEGORICAL_MAX_LENGTH = 60;

export const fieldCatalog = (catalog: ValueCatalog, name: string) => catalog.fields.find((field) => field.name === name);

/**
 * The catalog of records in memory: the same rules as the SQL that builds it
 * for stored records (lib/db/value-catalog.ts), for tests and small inputs.
 */
export function buildCatalog(schema: { primaryKey: string; fields: { name: string; type: FieldType }[] }, records: Record<string, unknown>[]): ValueCatalog {
  return {
    total: records.length,
    fields: schema.fields.map((field): FieldCatalog => {
      const present = records.map((record) => record[field.name]).filter((value) => value !== undefined && value !== null);
      const counts = new Map<string, number>();
      for (const value of present) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
      const entry: FieldCatalog = { name: field.name, type: field.type, present: present.length, distinct: Math.min(counts.size, CATEGORICAL_MAX_DISTINCT + 1) };
      if (field.type === "string") {
        const short = [...counts.keys()].every((value) => value.length <= CATEGORICAL_MAX_LENGTH);
        const ranked = [...counts.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
        // Categorical: short values that repeat; a value per record is an identifier or free text.
        if (field.name !== schema.primaryKey && short && counts.size <= CATEGORICAL_MAX_DISTINCT && counts.size < present.length) entry.values = ranked;
        else entry.samples = ranked.slice(0, 5).map(({ value }) => value).sort();
      } else if (field.type !== "boolean" && present.length) {
        const sorted = [...present].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
        entry.min = sorted[0] as number | string;
        entry.max = sorted.at(-1) as number | string;
      }
      return entry;
    }),
  };
}
