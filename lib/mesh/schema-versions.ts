import type { FieldType, ProductField, ProductSchema } from "../validation/product";

/**
 * Schema versions: what changed between two schemas of a product, and
 * whether consumers can keep reading it (compatible) or not (breaking). A
 * breaking change needs a new major product version. Pure rules.
 */

export type SchemaChangeKind =
  | "field_added"
  | "field_removed"
  | "field_renamed"
  | "type_widened"
  | "type_changed"
  | "made_required"
  | "made_optional"
  | "required_field_added"
  | "primary_key_changed"
  | "description_changed"
  | "pii_changed"
  | "fields_reordered";

export interface SchemaChange {
  kind: SchemaChangeKind;
  /** The field concerned (for a rename: its new name; for the primary key: the new key). */
  field?: string;
  breaking: boolean;
  /** One sentence, e.g. "field amount changed type from number to integer". */
  message: string;
}

export interface SchemaChangeSummary {
  breaking: SchemaChange[];
  compatible: SchemaChange[];
}

/** Type changes every old value still satisfies; any other type change is breaking. */
const WIDENINGS: Partial<Record<FieldType, FieldType[]>> = { integer: ["number"] };

const change = (kind: SchemaChangeKind, breaking: boolean, message: string, field?: string): SchemaChange => ({ kind, breaking, message, ...(field ? { field } : {}) });

/**
 * Every difference between `previous` and `next`, classified. Breaking: a
 * field removed or renamed, a type narrowed or changed, a field made required
 * (or a new required field), the primary key changed. Compatible: a new
 * optional field, a widened type (integer to number), a field made optional,
 * descriptions, PII flags and order. A removed field and an added field of
 * the same type at the same position are reported as one rename.
 */
export function diffSchemas(previous: ProductSchema, next: ProductSchema): SchemaChange[] {
  const changes: SchemaChange[] = [];
  if (previous.primaryKey !== next.primaryKey) {
    changes.push(change("primary_key_changed", true, `the primary key changed from ${previous.primaryKey} to ${next.primaryKey}`, next.primaryKey));
  }
  const before = new Map(previous.fields.map((field) => [field.name, field]));
  const after = new Map(next.fields.map((field) => [field.name, field]));
  const removed = previous.fields.filter((field) => !after.has(field.name));
  const added = next.fields.filter((field) => !before.has(field.name));
  const renames = pairRenames(previous, next, removed, added);

  for (const field of removed) {
    const renamedTo = renames.get(field.name);
    if (renamedTo) changes.push(change("field_renamed", true, `field ${field.name} was renamed to ${renamedTo.name}`, renamedTo.name));
    else changes.push(change("field_removed", true, `field ${field.name} was removed`, field.name));
  }
  const renamedTargets = new Set([...renames.values()].map((field) => field.name));
  for (const field of added) {
    if (renamedTargets.has(field.name)) continue;
    if (field.required) changes.push(change("required_field_added", true, `new field ${field.name} is required: existing records lack it`, field.name));
    else changes.push(change("field_added", false, `field ${field.name} (${field.type}) was added`, field.name));
  }
  for (const field of previous.fields) {
    const now = after.get(field.name);
    if (now) changes.push(...fieldChanges(field, now));
  }
  const kept = (fields: ProductField[]) => fields.map((field) => field.name).filter((name) => before.has(name) && after.has(name));
  if (kept(previous.fields).join() !== kept(next.fields).join()) changes.push(change("fields_reordered", false, "the fields were reordered"));
  return changes;
}

function fieldChanges(was: ProductField, now: ProductField): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const name = now.name;
  if (was.type !== now.type) {
    const widened = WIDENINGS[was.type]?.includes(now.type) ?? false;
    changes.push(
      widened
        ? change("type_widened", false, `field ${name} widened from ${was.type} to ${now.type}`, name)
        : change("type_changed", true, `field ${name} changed type from ${was.type} to ${now.type}`, name),
    );
  }
  if (now.required && !was.required) changes.push(change("made_required", true, `field ${name} was made required`, name));
  if (!now.required && was.required) changes.push(change("made_optional", false, `field ${name} was made optional`, name));
  if (was.description !== now.description) changes.push(change("description_changed", false, `the description of ${name} changed`, name));
  if (was.pii !== now.pii) changes.push(change("pii_changed", false, `${name} is ${now.pii ? "now" : "no longer"} marked as PII`, name));
  return changes;
}

/** Removed and added fields of the same type at the same position: renames. */
function pairRenames(previous: ProductSchema, next: ProductSchema, removed: ProductField[], added: ProductField[]): Map<string, ProductField> {
  const renames = new Map<string, ProductField>();
  const addedNames = new Set(added.map((field) => field.name));
  for (const field of removed) {
    const position = previous.fields.indexOf(field);
    const candidate = next.fields[position];
    if (candidate && addedNames.has(candidate.name) && candidate.type === field.type) {
      renames.set(field.name, candidate);
      addedNames.delete(candidate.name);
    }
  }
  return renames;
}

export function classifySchemaChange(previous: ProductSchema, next: ProductSchema): SchemaChangeSummary {
  const changes = diffSchemas(previous, next);
  return { breaking: changes.filter((item) => item.breaking), compatible: changes.filter((item) => !item.breaking) };
}

/** Whether two schemas are the same (field order included). */
export function sameSchema(a: ProductSchema, b: ProductSchema): boolean {
  return JSON.stringify(canonicalSchema(a)) === JSON.stringify(canonicalSchema(b));
}

const canonicalSchema = (schema: ProductSchema) => ({
  primaryKey: schema.primaryKey,
  fields: schema.fields.map(({ name, type, required, description, pii }) => ({ name, type, required, description, pii })),
});

export const majorOf = (version: string): number => Number(/^(\d+)/.exec(version)?.[1] ?? 0);

/** The first version of the next major: 1.4.2 → 2.0.0. */
export const nextMajor = (version: string): string => `${majorOf(version) + 1}.0.0`;

/** A breaking change is allowed only together with a higher major version. */
export function breakingChangeAllowed(previousVersion: string, nextVersion: string): boolean {
  return majorOf(nextVersion) > majorOf(previousVersion);
}
