import type { FieldType, ProductField, ProductSchema } from "../validation/product";
import { displayName, MAX_KEY_LENGTH, textProblem } from "./text";

/**
 * Validation of records against a product's schema: pure functions, no
 * framework or database. JSON input must carry the right JSON types; CSV
 * input is text, so its values are parsed by the field's type and an empty
 * cell means "no value".
 */

export type RecordSource = "json" | "csv";
export type RecordData = Record<string, string | number | boolean>;
export interface FieldProblem {
  field: string;
  message: string;
}
export type RecordCheck = { ok: true; key: string; data: RecordData } | { ok: false; key?: string; errors: FieldProblem[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm). */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}):\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function describe(value: unknown): string {
  if (typeof value === "string") return value.length > 40 ? `"${value.slice(0, 37)}..."` : JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : String(value);
}

/** Date would roll 2026-02-30 over to March 2nd: a real calendar date formats back to itself. */
function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

type Parsed = { ok: true; value: string | number | boolean } | { ok: false; message: string };

function parseValue(type: FieldType, value: unknown, source: RecordSource): Parsed {
  const fail = (expected: string): Parsed => ({ ok: false, message: `expected ${expected}, got ${describe(value)}` });
  switch (type) {
    case "string":
      return typeof value === "string" ? { ok: true, value } : fail("text");
    case "integer": {
      if (typeof value === "number") return Number.isSafeInteger(value) ? { ok: true, value } : fail("a whole number");
      if (source === "csv" && typeof value === "string" && INTEGER_TEXT.test(value.trim())) {
        const parsed = Number(value.trim());
        return Number.isSafeInteger(parsed) ? { ok: true, value: parsed } : fail("a whole number");
      }
      return fail("a whole number");
    }
    case "number": {
      if (typeof value === "number") return Number.isFinite(value) ? { ok: true, value } : fail("a number");
      if (source === "csv" && typeof value === "string" && NUMBER_TEXT.test(value.trim())) {
        // "1e400" is Infinity, which JSON would store as null.
        const parsed = Number(value.trim());
        return Number.isFinite(parsed) ? { ok: true, value: parsed } : fail("a finite number");
      }
      return fail("a number");
    }
    case "boolean": {
      if (typeof value === "boolean") return { ok: true, value };
      if (source === "csv" && typeof value === "string") {
        const text = value.trim().toLowerCase();
        if (text === "true") return { ok: true, value: true };
        if (text === "false") return { ok: true, value: false };
      }
      return fail("true or false");
    }
    case "date": {
      const text = typeof value === "string" ? value.trim() : undefined;
      if (!text || !DATE.test(text)) return fail("a date YYYY-MM-DD");
      if (!isCalendarDate(text)) return fail("a valid calendar date");
      return { ok: true, value: text };
    }
    case "timestamp": {
      const text = typeof value === "string" ? value.trim() : undefined;
      const match = text ? TIMESTAMP.exec(text) : null;
      if (!text || !match) return fail("an ISO 8601 timestamp with a time zone, e.g. 2026-03-04T08:12:00Z");
      const time = new Date(text);
      // Date accepts 2026-02-30T10:00Z (March 2nd) and 24:00 (the next day).
      if (Number.isNaN(time.getTime()) || !isCalendarDate(match[1]!) || Number(match[2]) > 23) return fail("a valid timestamp");
      // Stored in one form (UTC) so that timestamps sort and compare as text.
      return { ok: true, value: time.toISOString() };
    }
  }
}

function isMissing(value: unknown, source: RecordSource): boolean {
  return value === undefined || value === null || (source === "csv" && value === "");
}

/** Unknown fields named one by one in a rejection; the rest are counted. */
export const MAX_UNKNOWN_FIELDS_LISTED = 5;

/**
 * Checks one record against the schema. Only the input's own properties
 * count (an inherited `constructor` is no field), and the data comes out
 * without a prototype, so no field name can reach one.
 */
export function checkRecord(schema: ProductSchema, input: unknown, source: RecordSource): RecordCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "(record)", message: `expected an object of fields, got ${describe(input)}` }] };
  }
  const raw = input as Record<string, unknown>;
  const errors: FieldProblem[] = [];
  const data: RecordData = Object.create(null);
  const known = new Map<string, ProductField>(schema.fields.map((field) => [field.name, field]));
  const unknown = Object.keys(raw).filter((name) => !known.has(name));
  for (const name of unknown.slice(0, MAX_UNKNOWN_FIELDS_LISTED)) {
    errors.push({ field: displayName(name), message: "unknown field: not in the product's schema" });
  }
  if (unknown.length > MAX_UNKNOWN_FIELDS_LISTED) {
    const more = unknown.length - MAX_UNKNOWN_FIELDS_LISTED;
    errors.push({ field: "(record)", message: `and ${more.toLocaleString("en")} more unknown field${more === 1 ? "" : "s"}` });
  }
  for (const field of schema.fields) {
    const value = Object.hasOwn(raw, field.name) ? raw[field.name] : undefined;
    if (isMissing(value, source)) {
      if (field.required) errors.push({ field: field.name, message: "required field is missing" });
      continue;
    }
    const parsed = parseValue(field.type, value, source);
    const problem = parsed.ok && typeof parsed.value === "string" ? textProblem(parsed.value) : undefined;
    if (!parsed.ok) errors.push({ field: field.name, message: parsed.message });
    else if (problem) errors.push({ field: field.name, message: problem });
    else data[field.name] = parsed.value;
  }
  const keyValue = data[schema.primaryKey];
  const key = keyValue === undefined ? undefined : String(keyValue);
  if (key !== undefined && key.length > MAX_KEY_LENGTH) {
    errors.push({ field: schema.primaryKey, message: `primary key is ${key.length} characters long; at most ${MAX_KEY_LENGTH} are allowed` });
    return { ok: false, errors };
  }
  if (errors.length) return key === undefined ? { ok: false, errors } : { ok: false, key, errors };
  if (key === undefined || key === "") {
    return { ok: false, errors: [{ field: schema.primaryKey, message: "primary key is empty" }] };
  }
  return { ok: true, key, data };
}

/** Fields that semantic search may embed: the schema's string fields. */
export function embeddableFieldProblems(schema: ProductSchema, fields: string[]): string[] {
  const byName = new Map(schema.fields.map((field) => [field.name, field]));
  return fields.flatMap((name) => {
    const field = byName.get(name);
    if (!field) return [`${name} is not a field of this product`];
    if (field.type !== "string") return [`${name} is a ${field.type} field; only string fields can be embedded`];
    return [];
  });
}

/** Header columns listed by name in a refusal; the rest are counted. */
export const MAX_UNKNOWN_COLUMNS_LISTED = 10;

/**
 * A CSV header's columns that are not fields of the schema, as one
 * file-level problem: every row would fail the same way, so it is said once.
 */
export function unknownColumnsProblem(schema: ProductSchema, columns: string[]): string | undefined {
  const known = new Set(schema.fields.map((field) => field.name));
  const unknown = columns.filter((column) => !known.has(column));
  if (unknown.length === 0) return undefined;
  const listed = unknown.slice(0, MAX_UNKNOWN_COLUMNS_LISTED).map((column) => `"${displayName(column)}"`).join(", ");
  const more = unknown.length - MAX_UNKNOWN_COLUMNS_LISTED;
  return `The CSV header has ${unknown.length.toLocaleString("en")} column${unknown.length === 1 ? "" : "s"} that ${unknown.length === 1 ? "is" : "are"} not fields of the product's schema: ${listed}${more > 0 ? ` and ${more.toLocaleString("en")} more` : ""}. Remove ${unknown.length === 1 ? "it" : "them"} or add ${unknown.length === 1 ? "it" : "them"} to the schema; nothing was stored.`;
}
