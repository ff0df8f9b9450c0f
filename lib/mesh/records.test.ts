import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProductSchema } from "../validation/product";
import { checkRecord, embeddableFieldProblems } from "./records";
import { textProblem } from "./text";

const schema: ProductSchema = {
  primaryKey: "id",
  fields: [
    { name: "id", type: "string", required: true, description: "", pii: false },
    { name: "count", type: "integer", required: false, description: "", pii: false },
    { name: "amount", type: "number", required: false, description: "", pii: false },
    { name: "active", type: "boolean", required: false, description: "", pii: false },
    { name: "day", type: "date", required: false, description: "", pii: false },
    { name: "at", type: "timestamp", required: false, description: "", pii: false },
  ],
};

const integerKeyed: ProductSchema = {
  primaryKey: "n",
  fields: [
    { name: "n", type: "integer", required: true, description: "", pii: false },
    { name: "label", type: "string", required: true, description: "", pii: false },
  ],
};

/** The problems of one field of a JSON record with `value` in it. */
function problem(field: string, value: unknown, source: "json" | "csv" = "json") {
  const result = checkRecord(schema, { id: "r1", [field]: value }, source);
  if (result.ok) return undefined;
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.field).toBe(field);
  return result.errors[0]!.message;
}

function accepted(field: string, value: unknown, source: "json" | "csv" = "json") {
  const result = checkRecord(schema, { id: "r1", [field]: value }, source);
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.errors)}`);
  return result.data[field];
}

describe("checkRecord on JSON input", () => {
  it("accepts a complete record and returns its key and typed data", () => {
    const result = checkRecord(
      schema,
      { id: "r1", count: 3, amount: 12.5, active: false, day: "2026-02-28", at: "2026-03-04T08:12:00+02:00" },
      "json",
    );
    expect(result).toEqual({
      ok: true,
      key: "r1",
      data: { id: "r1", count: 3, amount: 12.5, active: false, day: "2026-02-28", at: "2026-03-04T06:12:00.000Z" },
    });
  });

  it("leaves out optional fields that are missing or null", () => {
    const result = checkRecord(schema, { id: "r1", count: null }, "json");
    expect(result).toEqual({ ok: true, key: "r1", data: { id: "r1" } });
  });

  it("reports a missing required field, without a key when the key is the missing one", () => {
    expect(checkRecord(schema, { count: 1 }, "json")).toEqual({
      ok: false,
      errors: [{ field: "id", message: "required field is missing" }],
    });
    expect(checkRecord(integerKeyed, { n: 7 }, "json")).toEqual({
      ok: false,
      key: "7",
      errors: [{ field: "label", message: "required field is missing" }],
    });
  });

  it("reports unknown fields, each by name", () => {
    const result = checkRecord(schema, { id: "r1", colour: "red", size: 3 }, "json");
    expect(result).toEqual({
      ok: false,
      key: "r1",
      errors: [
        { field: "colour", message: "unknown field: not in the product's schema" },
        { field: "size", message: "unknown field: not in the product's schema" },
      ],
    });
  });

  it("rejects values that are not objects of fields", () => {
    for (const [input, got] of [
      [[1, 2], "an array"],
      ["text", '"text"'],
      [null, "null"],
      [42, "42"],
    ] as const) {
      expect(checkRecord(schema, input, "json")).toEqual({
        ok: false,
        errors: [{ field: "(record)", message: `expected an object of fields, got ${got}` }],
      });
    }
  });

  it("checks strings", () => {
    expect(problem("id", 5)).toBe("expected text, got 5");
    expect(accepted("id", " spaced ")).toBe(" spaced ");
  });

  it("rejects an empty primary key", () => {
    expect(checkRecord(schema, { id: "" }, "json")).toEqual({ ok: false, errors: [{ field: "id", message: "primary key is empty" }] });
  });

  it("checks integers", () => {
    expect(accepted("count", -4)).toBe(-4);
    expect(problem("count", 1.5)).toBe("expected a whole number, got 1.5");
    expect(problem("count", "3")).toBe('expected a whole number, got "3"');
    expect(problem("count", 2 ** 60)).toMatch(/^expected a whole number/);
  });

  it("checks numbers", () => {
    expect(accepted("amount", 0.25)).toBe(0.25);
    expect(problem("amount", "0.25")).toBe('expected a number, got "0.25"');
    expect(problem("amount", true)).toBe("expected a number, got true");
    expect(problem("amount", { value: 1 })).toBe("expected a number, got an object");
  });

  it("checks booleans", () => {
    expect(accepted("active", true)).toBe(true);
    expect(problem("active", "true")).toBe('expected true or false, got "true"');
    expect(problem("active", 1)).toBe("expected true or false, got 1");
  });

  it("checks dates, including the calendar", () => {
    expect(accepted("day", "2028-02-29")).toBe("2028-02-29");
    expect(problem("day", "2026-02-30")).toBe('expected a valid calendar date, got "2026-02-30"');
    expect(problem("day", "2026-13-01")).toBe('expected a valid calendar date, got "2026-13-01"');
    expect(problem("day", "2026-3-4")).toBe('expected a date YYYY-MM-DD, got "2026-3-4"');
    expect(problem("day", "2026-03-04T00:00:00Z")).toMatch(/^expected a date YYYY-MM-DD/);
    expect(problem("day", 20260304)).toBe("expected a date YYYY-MM-DD, got 20260304");
  });

  it("checks timestamps: a time zone is required, stored as UTC", () => {
    expect(accepted("at", "2026-03-04T08:12Z")).toBe("2026-03-04T08:12:00.000Z");
    expect(accepted("at", "2026-03-04T08:12:00.5-0130")).toBe("2026-03-04T09:42:00.500Z");
    expect(problem("at", "2026-03-04T08:12:00")).toMatch(/^expected an ISO 8601 timestamp with a time zone/);
    expect(problem("at", "2026-03-04 08:12:00Z")).toMatch(/^expected an ISO 8601 timestamp with a time zone/);
    expect(problem("at", 1_700_000_000)).toMatch(/^expected an ISO 8601 timestamp with a time zone/);
  });

  it("rejects timestamps that Date would roll over", () => {
    expect(problem("at", "2026-02-30T10:00:00Z")).toBe('expected a valid timestamp, got "2026-02-30T10:00:00Z"');
    expect(problem("at", "2026-01-01T24:00:00Z")).toBe('expected a valid timestamp, got "2026-01-01T24:00:00Z"');
    expect(problem("at", "2026-01-01T10:61:00Z")).toBe('expected a valid timestamp, got "2026-01-01T10:61:00Z"');
  });

  it("shortens long values in messages", () => {
    expect(problem("count", "x".repeat(100))).toBe(`expected a whole number, got "${"x".repeat(37)}..."`);
  });

  it("reports every bad field of a record at once", () => {
    const result = checkRecord(schema, { id: "r1", count: "a", amount: "b", extra: 1 }, "json");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.field)).toEqual(["extra", "count", "amount"]);
  });

  it("uses the text of an integer primary key as the key", () => {
    expect(checkRecord(integerKeyed, { n: 42, label: "x" }, "json")).toEqual({ ok: true, key: "42", data: { n: 42, label: "x" } });
  });
});

describe("checkRecord on CSV input (text cells)", () => {
  it("parses cells by the field's type", () => {
    const result = checkRecord(
      schema,
      { id: "r1", count: " 007 ", amount: "-1.5e3", active: "TRUE", day: "2026-03-04", at: "2026-03-04T08:12:00Z" },
      "csv",
    );
    expect(result).toEqual({
      ok: true,
      key: "r1",
      data: { id: "r1", count: 7, amount: -1500, active: true, day: "2026-03-04", at: "2026-03-04T08:12:00.000Z" },
    });
    expect(accepted("amount", ".5", "csv")).toBe(0.5);
    expect(accepted("active", "false", "csv")).toBe(false);
  });

  it("treats an empty cell as no value", () => {
    expect(checkRecord(schema, { id: "r1", count: "", amount: "", active: "", day: "", at: "" }, "csv")).toEqual({
      ok: true,
      key: "r1",
      data: { id: "r1" },
    });
    expect(checkRecord(schema, { id: "", count: "1" }, "csv")).toEqual({
      ok: false,
      errors: [{ field: "id", message: "required field is missing" }],
    });
  });

  it("rejects cells that are not of the field's type", () => {
    expect(problem("count", "1.5", "csv")).toBe('expected a whole number, got "1.5"');
    expect(problem("count", "99999999999999999999", "csv")).toMatch(/^expected a whole number/);
    expect(problem("amount", "12,5", "csv")).toBe('expected a number, got "12,5"');
    expect(problem("amount", "1e400", "csv")).toBe('expected a finite number, got "1e400"');
    expect(problem("active", "yes", "csv")).toBe('expected true or false, got "yes"');
    expect(problem("day", "04/03/2026", "csv")).toMatch(/^expected a date YYYY-MM-DD/);
    expect(problem("at", "2026-03-04T08:12:00", "csv")).toMatch(/^expected an ISO 8601 timestamp/);
  });

  it("does not coerce text in JSON input", () => {
    expect(problem("count", "7")).toBe('expected a whole number, got "7"');
    expect(problem("active", "true")).toBe('expected true or false, got "true"');
  });
});

describe("embeddableFieldProblems", () => {
  it("accepts string fields and names the others", () => {
    expect(embeddableFieldProblems(schema, ["id"])).toEqual([]);
    expect(embeddableFieldProblems(schema, ["count", "nope"])).toEqual([
      "count is a integer field; only string fields can be embedded",
      "nope is not a field of this product",
    ]);
  });
});

describe("checkRecord on hostile input", () => {
  const withOptional = (name: string): ProductSchema => ({
    primaryKey: "id",
    fields: [
      { name: "id", type: "string", required: true, description: "", pii: false },
      { name, type: "string", required: false, description: "", pii: false },
    ],
  });

  it("reads only the record's own fields: an inherited member is not a value", () => {
    // A schema stored before names were reserved: records without the field still pass.
    for (const name of ["constructor", "toString", "__proto__"]) {
      expect(checkRecord(withOptional(name), { id: "r1" }, "json"), name).toEqual({ ok: true, key: "r1", data: { id: "r1" } });
    }
  });

  it("keeps a __proto__ key as data, on an object without a prototype", () => {
    const input = JSON.parse('{"id":"r1","__proto__":"x"}');
    const result = checkRecord(withOptional("__proto__"), input, "json");
    expect(result.ok && Object.getPrototypeOf(result.data)).toBeNull();
    expect(result.ok && Object.entries(result.data)).toEqual([
      ["id", "r1"],
      ["__proto__", "x"],
    ]);
  });

  it("rejects text that cannot be stored, naming the field", () => {
    const nul = checkRecord(schema, { id: "r\u0000" }, "csv");
    expect(nul).toEqual({ ok: false, errors: [{ field: "id", message: "contains a NUL character (\\u0000), which text cannot hold" }] });
    const surrogate = checkRecord(withOptional("note"), { id: "r1", note: "\ud800 alone" }, "json");
    expect(surrogate).toEqual({
      ok: false,
      key: "r1",
      errors: [{ field: "note", message: "contains an unpaired UTF-16 surrogate, which is not valid Unicode" }],
    });
    expect(checkRecord(withOptional("note"), { id: "r1", note: "pair 🚀" }, "json").ok).toBe(true);
  });

  it("rejects a primary key longer than 512 characters", () => {
    expect(checkRecord(schema, { id: "k".repeat(512) }, "json").ok).toBe(true);
    expect(checkRecord(schema, { id: "k".repeat(9000) }, "json")).toEqual({
      ok: false,
      errors: [{ field: "id", message: "primary key is 9000 characters long; at most 512 are allowed" }],
    });
  });

  it("lists the first unknown fields and counts the rest, so a row's report stays small", () => {
    const input: Record<string, unknown> = { id: "r1" };
    for (let at = 0; at < 100_000; at++) input[`extra_${at}`] = at;
    const result = checkRecord(schema, input, "json");
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(6);
    expect(errors[5]).toEqual({ field: "(record)", message: "and 99,995 more unknown fields" });
    expect(JSON.stringify(errors).length).toBeLessThan(1000);
  });

  it("never throws, and accepts only records whose data holds the schema's fields with their types (property-based)", () => {
    const names = fc.constantFrom("id", "count", "amount", "active", "day", "at", "__proto__", "constructor", "toString", "x");
    const values = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue());
    fc.assert(
      fc.property(fc.dictionary(names, values), fc.constantFrom<"json" | "csv">("json", "csv"), (entries, source) => {
        const input = Object.assign(Object.create(null), entries);
        const result = checkRecord(schema, input, source);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          return;
        }
        expect(Object.getPrototypeOf(result.data)).toBeNull();
        for (const [name, value] of Object.entries(result.data)) {
          const field = schema.fields.find((candidate) => candidate.name === name);
          expect(field, name).toBeDefined();
          if (field!.type === "string") expect(textProblem(value as string)).toBeUndefined();
          if (field!.type === "integer") expect(Number.isSafeInteger(value)).toBe(true);
          if (field!.type === "number") expect(Number.isFinite(value)).toBe(true);
          if (field!.type === "boolean") expect(typeof value).toBe("boolean");
        }
        expect(result.key.length).toBeGreaterThan(0);
        expect(result.key.length).toBeLessThanOrEqual(512);
      }),
      { numRuns: 500 },
    );
    // 500 generated schemas and records: seconds on a loaded 2-core machine, not a timing check.
  }, 60_000);
});
