import { describe, expect, it } from "vitest";
import type { ProductSchema } from "../validation/product";
import { breakingChangeAllowed, classifySchemaChange, diffSchemas, nextMajor, sameSchema } from "./schema-versions";

type Field = ProductSchema["fields"][number];
const field = (name: string, type: Field["type"], required = false, extra: Partial<Field> = {}): Field => ({ name, type, required, description: "", pii: false, ...extra });
const base: ProductSchema = { primaryKey: "id", fields: [field("id", "string", true), field("amount", "integer", true), field("note", "string")] };
const kinds = (previous: ProductSchema, next: ProductSchema) => diffSchemas(previous, next).map(({ kind, field: name, breaking }) => ({ kind, field: name, breaking }));

describe("schema change classification", () => {
  it("finds nothing in the same schema", () => {
    expect(diffSchemas(base, base)).toEqual([]);
    expect(sameSchema(base, structuredClone(base))).toBe(true);
  });

  it("compatible: a new optional field, a widened type, a field made optional, descriptions, PII, order", () => {
    const next: ProductSchema = {
      primaryKey: "id",
      fields: [field("note", "string", false, { pii: true }), field("id", "string", true, { description: "Key" }), field("amount", "number"), field("currency", "string")],
    };
    const summary = classifySchemaChange(base, next);
    expect(summary.breaking).toEqual([]);
    expect(summary.compatible.map((change) => change.kind).sort()).toEqual(["description_changed", "field_added", "fields_reordered", "made_optional", "pii_changed", "type_widened"]);
  });

  it("breaking: removed, narrowed or changed type, made required, new required field, primary key changed", () => {
    expect(kinds(base, { ...base, fields: [field("id", "string", true), field("amount", "integer", true)] })).toEqual([{ kind: "field_removed", field: "note", breaking: true }]);
    expect(kinds({ ...base, fields: [field("id", "string", true), field("amount", "number", true)] }, { ...base, fields: [field("id", "string", true), field("amount", "integer", true)] })).toEqual([
      { kind: "type_changed", field: "amount", breaking: true },
    ]);
    expect(kinds(base, { ...base, fields: [field("id", "string", true), field("amount", "integer", true), field("note", "string", true)] })).toEqual([
      { kind: "made_required", field: "note", breaking: true },
    ]);
    expect(kinds(base, { ...base, fields: [...base.fields, field("currency", "string", true)] })).toEqual([{ kind: "required_field_added", field: "currency", breaking: true }]);
    expect(kinds(base, { ...base, primaryKey: "amount" })).toEqual([{ kind: "primary_key_changed", field: "amount", breaking: true }]);
  });

  it("a removed and an added field of the same type in the same place is a rename", () => {
    expect(kinds(base, { ...base, fields: [field("id", "string", true), field("amount", "integer", true), field("memo", "string")] })).toEqual([
      { kind: "field_renamed", field: "memo", breaking: true },
    ]);
    // Another type in that place: a removal and an addition.
    expect(kinds(base, { ...base, fields: [field("id", "string", true), field("amount", "integer", true), field("memo", "date")] })).toEqual([
      { kind: "field_removed", field: "note", breaking: true },
      { kind: "field_added", field: "memo", breaking: false },
    ]);
  });
});

describe("versions", () => {
  it("a breaking change needs a higher major version", () => {
    expect(nextMajor("1.4.2")).toBe("2.0.0");
    expect(breakingChangeAllowed("1.4.2", "2.0.0")).toBe(true);
    expect(breakingChangeAllowed("1.4.2", "1.5.0")).toBe(false);
    expect(breakingChangeAllowed("2.0.0", "1.9.0")).toBe(false);
  });
});
