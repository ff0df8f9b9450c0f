import type { ProductSchema } from "../validation/product";

/**
 * Fields marked `pii` stay on this server: a hosted model (the chat model,
 * a hosted inference endpoint) gets a record without them, unless the
 * product's owner allowed it for that capability. Offline models on this
 * server read every field.
 */

export function withheldFields(schema: ProductSchema, hostedPiiAllowed: boolean): ReadonlySet<string> {
  return new Set(hostedPiiAllowed ? [] : schema.fields.filter((field) => field.pii).map((field) => field.name));
}

export function withoutFields<T>(record: Record<string, T>, withheld: ReadonlySet<string>): Record<string, T> {
  if (withheld.size === 0) return record;
  return Object.fromEntries(Object.entries(record).filter(([name]) => !withheld.has(name)));
}
