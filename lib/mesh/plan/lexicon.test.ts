import { describe, expect, it } from "vitest";
import type { ProductField } from "../../validation/product";
import { schemaField as field } from "@/tests/helpers/fields";
import { buildCatalog } from "./catalog";
import { measuringFields, statedState } from "./lexicon";
import { planQuestion, type PlanProduct } from "./planner";
import { tokenize } from "./text";

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
      field("fare_cents", "integer", "Fares taken on board, in cents."),
      field("dwell_seconds", "integer", "Time the tram stood at stops."),
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
  fare_cents: 4000 + i * 150,
  dwell_seconds: 60 + i * 20,
}));
const catalog = buildCatalog(runs.schema, records);
const plan = (question: string) => planQuestion(question, runs, catalog, { today: new Date("2026-03-15T12:00:00Z") }).plan;
const fields = runs.schema.fields.filter((candidate) => candidate.type !== "boolean");
const [onTime, passed] = runs.schema.fields.filter((candidate) => candidate.type === "boolean") as [ProductField, ProductField];

describe("dimension words", () => {
  it("name the one number field kept in the dimension's unit", () => {
    const names = (word: string) => measuringFields(tokenize(word)[0]!, fields).map((found) => found.name);
    expect(names("heaviest")).toEqual(["cargo_kg"]);
    expect(names("weighed")).toEqual(["cargo_kg"]);
    expect(names("farthest")).toEqual(["route_km"]);
    expect(names("longest")).toEqual(["dwell_seconds"]);
    expect(names("hottest")).toEqual([]);
    expect(names("biggest")).toEqual([]);
    expect(names("paid")).toEqual(["fare_cents"]);
    expect(names("cheapest")).toEqual(["fare_cents"]);
  });

  it("make a superlative and a comparison of the measure the question never names", () => {
    expect(plan("Which run was the heaviest?")).toMatchObject({ operation: "max", field: "cargo_kg", limit: 1 });
    const timed: PlanProduct = { ...runs, schema: { ...runs.schema, fields: [...runs.schema.fields, field("turnaround_days", "integer", "Days before the tram ran again.")] } };
    const records2 = records.map((record, i) => ({ ...record, turnaround_days: 1 + (i % 4) }));
    const timedPlan = (question: string) => planQuestion(question, timed, buildCatalog(timed.schema, records2)).plan;
    expect(timedPlan("Which run took the longest to turn around, and for how many days?")).toMatchObject({ operation: "max", field: "turnaround_days" });
    expect(timedPlan("Which run lasted the longest?").field).toBeUndefined();
    // The unit the answer is asked in names the one number field of its dimension.
    expect(plan("The Uptown tram that broke down: how many minutes did it wait at the lights?")).toMatchObject({ operation: "lookup", fields: ["dwell_seconds"], scale: { unit: "minutes" } });
    // A named category with a superlative of a dimension is that measure's maximum, not a count per category.
    expect(plan("Which line had a tram held up the longest?")).toMatchObject({ operation: "max", field: "dwell_seconds" });
    expect(plan("How many runs carried more than 500 kg?")).toMatchObject({ operation: "count", filters: [{ field: "cargo_kg", op: "gt", value: 500 }] });
    const paid = plan("How much did the riders pay on the Uptown run where the brake check found a worn pad?");
    expect(paid).toMatchObject({ operation: "lookup", fields: ["fare_cents"] });
    // An average needs its number named more clearly than by a money word.
    expect(planQuestion("What did the average ferry crossing cost in March?", runs, catalog).problem).toMatch(/no number field/);
    expect(plan("What did the average tram run cost in March?")).toMatchObject({ operation: "avg", field: "fare_cents" });
    // "pay" is explained by the field it names.
    expect(paid.confidence).toBeGreaterThan(plan("How much did the riders give on the Uptown run where the brake check found a worn pad?").confidence);
  });
});

describe("comparisons", () => {
  it("go to a number field whose values come near the number, unless the question names the field", () => {
    // route_km (5–16) is described by "route", but no route is 5,000 km long; cargo_kg reaches that far.
    expect(plan("How many runs on a route carried over 5000?").filters).toEqual([expect.objectContaining({ field: "cargo_kg", op: "gt", value: 5000 })]);
    expect(plan("How many runs had a route_km over 5000?").filters).toEqual([expect.objectContaining({ field: "route_km", op: "gt", value: 5000 })]);
  });
});

describe("units", () => {
  it("convert the question's time units into the field's, articles included", () => {
    expect(plan("How many runs stood at stops for more than half an hour?").filters).toEqual([expect.objectContaining({ field: "dwell_seconds", op: "gt", value: 1800 })]);
    expect(plan("How many runs stood at stops for over an hour?").filters).toEqual([expect.objectContaining({ field: "dwell_seconds", op: "gt", value: 3600 })]);
    expect(plan("How many runs carried more than two hundred pounds?").filters).toEqual([expect.objectContaining({ field: "cargo_kg", op: "gt", value: 90.718474 })]);
    expect(plan("How many runs were longer than 3 miles?").filters).toEqual([expect.objectContaining({ field: "route_km", op: "gt", value: 4.828032 })]);
  });

  it("state an answer in the unit asked, and money kept in cents in dollars", () => {
    expect(plan("How long did the trams wait in total, in minutes?")).toMatchObject({ operation: "sum", field: "dwell_seconds", scale: { unit: "minutes", factor: 1 / 60 } });
    expect(plan("What was the total cargo, in pounds?")).toMatchObject({ operation: "sum", field: "cargo_kg", scale: { unit: "pounds" } });
    expect(plan("How much did the runs take in fares altogether?")).toMatchObject({ operation: "sum", field: "fare_cents", scale: { unit: "usd", factor: 0.01 } });
    expect(plan("How many runs took more than $50 in fares?").filters).toEqual([expect.objectContaining({ field: "fare_cents", op: "gt", value: 5000 })]);
  });
});

describe("yes/no states and their opposites", () => {
  it("find a synonym of the state or of its opposite, as question tokens", () => {
    const late = statedState(onTime, tokenize("which runs were late"), () => true);
    expect(late).toEqual({ tokens: [3], opposite: true });
    expect(statedState(onTime, tokenize("ran behind schedule"), () => true)).toEqual({ tokens: [1, 2], opposite: true });
    expect(statedState(onTime, tokenize("were they punctual"), () => true)).toEqual({ tokens: [2], opposite: false });
    expect(statedState(passed, tokenize("which checks fell short of the pass mark"), () => true)).toEqual({ tokens: [2, 3], opposite: true });
    expect(statedState(passed, tokenize("which runs were late"), () => true)).toBeUndefined();
    const resolved = field("resolved", "boolean");
    expect(statedState(resolved, tokenize("which tickets are still open"), () => true)).toEqual({ tokens: [4], opposite: true });
    expect(statedState(resolved, tokenize("how many were closed"), () => true)).toEqual({ tokens: [3], opposite: false });
  });

  it("set the boolean field, negation included", () => {
    expect(plan("How many runs were late?").filters).toEqual([expect.objectContaining({ field: "on_time", op: "eq", value: false })]);
    expect(plan("How many runs were not late?").filters).toEqual([expect.objectContaining({ field: "on_time", op: "eq", value: true })]);
    expect(plan("How many runs fell short of the pass mark?").filters).toEqual([expect.objectContaining({ field: "passed", op: "eq", value: false })]);
    expect(plan("How many runs were late, not on time?").filters).toEqual([expect.objectContaining({ field: "on_time", op: "eq", value: false })]);
    expect(plan("How many runs were there, excluding late and failed ones?").filters).toEqual([
      expect.objectContaining({ field: "on_time", value: true }),
      expect.objectContaining({ field: "passed", value: true }),
    ]);
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
