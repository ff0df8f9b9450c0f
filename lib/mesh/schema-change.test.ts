import { describe, expect, it } from "vitest";
import type { ProductSchema } from "../validation/product";
import { schemaChangeProblems } from "./product";

/** schemaChangeProblems (lib/mesh/product.ts): which schema edits would invalidate stored records. */

type Field = ProductSchema["fields"][number];
const field = (name: string, type: Field["type"], required = false, extra: Partial<Field> = {}): Field => ({ name, type, required, description: "", pii: false, ...extra });

const previous: ProductSchema = {
  primaryKey: "id",
  fields: [field("id", "string", true), field("amount", "number", true), field("note", "string")],
};

describe("schemaChangeProblems", () => {
  it("accepts the same schema, reordering, new optional fields, and edited descriptions and PII flags", () => {
    expect(schemaChangeProblems(previous, previous)).toEqual([]);
    expect(
      schemaChangeProblems(previous, {
        primaryKey: "id",
        fields: [field("note", "string", false, { pii: true, description: "Free text" }), field("amount", "number", true, { description: "EUR" }), field("id", "string", true), field("extra", "date")],
      }),
    ).toEqual([]);
  });

  it("accepts a required field becoming optional", () => {
    expect(schemaChangeProblems(previous, { ...previous, fields: [field("id", "string", true), field("amount", "number"), field("note", "string")] })).toEqual([]);
  });

  it("refuses a changed primary key", () => {
    const next = { primaryKey: "note", fields: [field("id", "string", true), field("amount", "number", true), field("note", "string", true)] };
    expect(schemaChangeProblems(previous, next)).toEqual(["the primary key cannot change from id", "field note cannot become required"]);
  });

  it("refuses a removed field", () => {
    expect(schemaChangeProblems(previous, { ...previous, fields: [field("id", "string", true), field("amount", "number", true)] })).toEqual(["field note cannot be removed"]);
  });

  it("refuses a changed type", () => {
    expect(schemaChangeProblems(previous, { ...previous, fields: [field("id", "string", true), field("amount", "integer", true), field("note", "string")] })).toEqual([
      "field amount cannot change type from number to integer",
    ]);
  });

  it("refuses an optional field becoming required", () => {
    expect(schemaChangeProblems(previous, { ...previous, fields: [field("id", "string", true), field("amount", "number", true), field("note", "string", true)] })).toEqual([
      "field note cannot become required",
    ]);
  });

  it("refuses a new required field", () => {
    expect(schemaChangeProblems(previous, { ...previous, fields: [...previous.fields, field("currency", "string", true)] })).toEqual(["new field currency must be optional"]);
  });

  it("treats a renamed field as a removal plus an addition, and reports every problem", () => {
    const next = { primaryKey: "key", fields: [field("key", "string", true), field("amount", "boolean", true)] };
    expect(schemaChangeProblems(previous, next)).toEqual([
      "the primary key cannot change from id",
      "field id cannot be removed",
      "field amount cannot change type from number to boolean",
      "field note cannot be removed",
      "new field key must be optional",
    ]);
  });
});
