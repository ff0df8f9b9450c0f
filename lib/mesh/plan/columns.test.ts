import { describe, expect, it } from "vitest";
import { planSchema, type Plan, type PlanInput } from "../../validation/answers";
import { buildColumn, evaluatePlan, orderRows, positionsOf, type RecordColumns } from "./columns";

const records = [
  { key: "A", city: "Austin", amount: 0.1, gift: true, at: "2026-01-31T23:59:00.000Z", on: "2026-01-31" },
  { key: "B", city: "Reno", amount: 0.2, gift: false, at: "2026-02-01T00:00:00.000Z", on: "2026-02-01" },
  { key: "C", city: "Austin", amount: 0.3, at: "2026-02-01T12:00:00.000Z" },
  { key: "D", amount: 5, gift: true },
];
const types = { city: "string", amount: "number", gift: "boolean", at: "timestamp", on: "date" } as const;

const columns: RecordColumns = {
  keys: records.map((record) => record.key),
  columns: new Map(Object.entries(types).map(([name, type]) => [name, buildColumn(type, records.map((record) => (record as Record<string, unknown>)[name]))])),
};
const plan = (input: Omit<PlanInput, "product">) => planSchema.parse({ product: "d/p", ...input }) as Plan;
const keysOf = (positions: Iterable<number>) => [...positions].map((i) => columns.keys[i]);
const matched = (input: Omit<PlanInput, "product">) => keysOf(evaluatePlan(columns, plan(input))!.matched);

describe("record columns", () => {
  it("compares a timestamp with a day as the whole UTC day, and a date as a date", () => {
    expect(matched({ operation: "list", filters: [{ field: "at", op: "eq", value: "2026-02-01" }] })).toEqual(["B", "C"]);
    expect(matched({ operation: "list", filters: [{ field: "at", op: "lte", value: "2026-01-31" }] })).toEqual(["A"]);
    expect(matched({ operation: "list", filters: [{ field: "at", op: "gt", value: "2026-01-31" }] })).toEqual(["B", "C"]);
    expect(matched({ operation: "list", filters: [{ field: "at", op: "between", values: ["2026-01-01", "2026-02-01"] }] })).toEqual(["A", "B", "C"]);
    expect(matched({ operation: "list", filters: [{ field: "on", op: "gte", value: "2026-02-01" }] })).toEqual(["B"]);
  });

  it("keeps absent values in negations and out of comparisons", () => {
    expect(matched({ operation: "list", filters: [{ field: "city", op: "ne", value: "Austin" }] })).toEqual(["B", "D"]);
    expect(matched({ operation: "list", filters: [{ field: "gift", op: "not_in", values: [true] }] })).toEqual(["B", "C"]);
    expect(matched({ operation: "list", filters: [{ field: "amount", op: "lt", value: 1 }] })).toEqual(["A", "B", "C"]);
    expect(matched({ operation: "list", filters: [{ field: "on", op: "absent" }] })).toEqual(["C", "D"]);
  });

  it("leaves to SQL what only SQL decides: text ranges, values that do not cast, days that do not exist", () => {
    expect(evaluatePlan(columns, plan({ operation: "list", filters: [{ field: "city", op: "gt", value: "B" }] }))).toBeUndefined();
    expect(evaluatePlan(columns, plan({ operation: "list", filters: [{ field: "amount", op: "gt", value: "lots" }] }))).toBeUndefined();
    expect(evaluatePlan(columns, plan({ operation: "list", filters: [{ field: "on", op: "lt", value: "2026-02-30" }] }))).toBeUndefined();
    expect(evaluatePlan(columns, plan({ operation: "list", filters: [{ field: "at", op: "lt", value: "2026-02-01 10:00" }] }))).toBeUndefined();
    expect(evaluatePlan(columns, plan({ operation: "list", filters: [{ field: "notes", op: "present" }] }))).toBeUndefined();
  });

  it("adds up without the drift of plain float sums, and averages only the values present", () => {
    const total = evaluatePlan(columns, plan({ operation: "sum", field: "amount", filters: [{ field: "amount", op: "lt", value: 1 }] }))!;
    expect(total.value).toBe(0.6);
    expect(evaluatePlan(columns, plan({ operation: "avg", field: "amount", filters: [{ field: "city", op: "eq", value: "Nowhere" }] }))!.value).toBeNull();
  });

  it("groups by count, then by value, absent values as one group last among equals", () => {
    expect(evaluatePlan(columns, plan({ operation: "group", field: "city" }))!.groups).toEqual([
      { value: "Austin", count: 2 },
      { value: "Reno", count: 1 },
      { value: null, count: 1 },
    ]);
  });

  it("orders by the sort field, then the search score, then the key, and says when the limit's edge is a tie", () => {
    const all = evaluatePlan(columns, plan({ operation: "list" }))!.matched;
    const scores = new Map(positionsOf(columns, ["C", "B"]).map((position, i) => [position, [0.9, 0.5][i]!]));
    expect(keysOf(orderRows(columns, plan({ operation: "list" }), all, scores, 3).positions)).toEqual(["C", "B", "A"]);
    // A and D are both unscored: which one is third is for vector distance to decide.
    expect(orderRows(columns, plan({ operation: "list" }), all, scores, 3).decided).toBe(false);
    expect(orderRows(columns, plan({ operation: "list" }), all, scores, 2).decided).toBe(true);
    const largest = orderRows(columns, plan({ operation: "max", field: "amount" }), all, new Map(), 2);
    expect(keysOf(largest.positions)).toEqual(["D", "C"]);
    const earliest = orderRows(columns, plan({ operation: "list", sort: { field: "on", direction: "asc" } }), all, new Map(), 4);
    expect(keysOf(earliest.positions)).toEqual(["A", "B", "C", "D"]);
  });
});
