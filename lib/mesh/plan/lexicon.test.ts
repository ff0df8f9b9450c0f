import { describe, expect, it } from "vitest";
import type { ProductField } from "../../validation/product";
import { buildCatalog } from "./catalog";
import { dimensionField, statedState, unitField } from "./lexicon";
import { planQuestion, type PlanProduct } from "./planner";
import { tokenize } from "./text";

const field = (name: string, type: ProductField["type"], description = ""): ProductField => ({ name, type, required: true, description, pii: false });

// A made-up product: runs of a goods tram.
const runs: PlanProduct = {
  domain: "transit",
  name: "tram-runs",
  title: "Tram Runs",
  description: "One row per run of the goods tram.",
  schema: {
    primaryKey: "run_id",
    fields: [
      field("run_id", "string", "Run number, prefixed TR-."),
      field("line", "string", "Line the run served."),
      field("state", "string", "completed, cancelled or no-show (the crew never arrived)."),
      field("on_time", "boolean", "True if the run reached its last stop within two minutes of the timetable."),
      field("passed", "boolean", "True if the brake check before the run found nothing wrong."),
      field("cargo_kg", "number", "Goods carried, in kilograms."),
      field("route_km", "number", "Length of the route."),
      field("fare_total", "number", "Fares taken on board."),
    ],
  },
};
const records = Array.from({ length: 12 }, (_, i) => ({
  run_id: `TR-${10 + i}`,
  line: ["Harbour", "Uptown"][i % 2]!,
  state: ["completed", "cancelled", "no-show"][i % 3]!,
  on_time: i % 4 !== 0,
  passed: i % 5 !== 0,
  cargo_kg: 100 + i * 90,
  route_km: 5 + i,
  fare_total: 40 + i,
}));
const catalog = buildCatalog(runs.schema, records);
const plan = (question: string) => planQuestion(question, runs, catalog, { today: new Date("2026-03-15T12:00:00Z") }).plan;
const fields = runs.schema.fields;

describe("dimension words", () => {
  it("name the one number field kept in the dimension's unit", () => {
    expect(dimensionField(tokenize("heaviest")[0]!, fields)?.name).toBe("cargo_kg");
    expect(dimensionField(tokenize("weighed")[0]!, fields)?.name).toBe("cargo_kg");
    expect(dimensionField(tokenize("farthest")[0]!, fields)?.name).toBe("route_km");
    expect(dimensionField(tokenize("hottest")[0]!, fields)).toBeUndefined();
    expect(dimensionField(tokenize("biggest")[0]!, fields)).toBeUndefined();
  });

  it("read a unit after a number as the field kept in it", () => {
    expect(unitField("kg", fields)?.name).toBe("cargo_kg");
    expect(unitField("km", fields)?.name).toBe("route_km");
    expect(unitField("tonnes", fields)).toBeUndefined();
    expect(unitField("runs", fields)).toBeUndefined();
  });

  it("make a superlative and a comparison of the measure the question never names", () => {
    expect(plan("Which run was the heaviest?")).toMatchObject({ operation: "max", field: "cargo_kg", limit: 1 });
    expect(plan("How many runs carried more than 500 kg?")).toMatchObject({ operation: "count", filters: [{ field: "cargo_kg", op: "gt", value: 500 }] });
  });
});

describe("yes/no states and their opposites", () => {
  it("find a synonym of the state or of its opposite, as question tokens", () => {
    const late = statedState(fields[3]!, tokenize("which runs were late"), () => true);
    expect(late).toEqual({ tokens: [3], opposite: true });
    expect(statedState(fields[3]!, tokenize("ran behind schedule"), () => true)).toEqual({ tokens: [1, 2], opposite: true });
    expect(statedState(fields[3]!, tokenize("were they punctual"), () => true)).toEqual({ tokens: [2], opposite: false });
    expect(statedState(fields[4]!, tokenize("which runs were late"), () => true)).toBeUndefined();
  });

  it("set the boolean field, negation included", () => {
    expect(plan("How many runs were late?").filters).toEqual([expect.objectContaining({ field: "on_time", op: "eq", value: false })]);
    expect(plan("How many runs were not late?").filters).toEqual([expect.objectContaining({ field: "on_time", op: "eq", value: true })]);
    expect(plan("Which runs failed?")).toMatchObject({ operation: "list", filters: [expect.objectContaining({ field: "passed", op: "eq", value: false })] });
  });
});

describe("values that begin with a negation", () => {
  it("are said with a negation and the rest of the value", () => {
    expect(plan("How many crews didn't show up?").filters).toEqual([expect.objectContaining({ field: "state", op: "eq", value: "no-show" })]);
    // Word order matters: "show no" is not "no show".
    expect(plan("Which runs show no cargo?").filters.map((filter) => filter.field)).not.toContain("state");
  });
});
