import { describe, expect, it } from "vitest";
import { qualityRuleSchema, qualityRulesSchema, type QualityRuleInput } from "../validation/quality";
import { evaluateRule, expectedText, quantityText, qualityRuleProblems } from "./quality";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const rule = (input: Omit<QualityRuleInput, "id"> & { id?: string }) => qualityRuleSchema.parse({ id: "r", ...input });
const counted = (failing: number, total = 10, failingKeys: string[] = []) => ({ total, failing, failingKeys });

describe("evaluateRule", () => {
  it("passes a row-level rule only when no record fails it, by default", () => {
    const notNull = rule({ metric: "nullValues", property: "email" });
    expect(evaluateRule(notNull, counted(0), NOW)).toMatchObject({ status: "passed", value: 0, unit: "rows", expected: "= 0 rows", failingKeys: [] });
    expect(evaluateRule(notNull, counted(2, 10, ["a", "b"]), NOW)).toMatchObject({ status: "failed", failing: 2, value: 2, failingKeys: ["a", "b"] });
  });

  it("compares percentages when the unit is percent", () => {
    const fewNulls = rule({ metric: "nullValues", property: "email", unit: "percent", mustBeLessOrEqualTo: 5 });
    expect(evaluateRule(fewNulls, counted(1, 40), NOW)).toMatchObject({ status: "passed", value: 2.5 });
    expect(evaluateRule(fewNulls, counted(3, 40), NOW)).toMatchObject({ status: "failed", value: 7.5, unit: "percent", expected: "≤ 5 %" });
  });

  it("checks row counts and freshness against their thresholds, and every threshold set", () => {
    const rows = rule({ metric: "rowCount", mustBeGreaterOrEqualTo: 100, mustBeLessThan: 1000 });
    expect(expectedText(rows)).toBe("≥ 100 rows and < 1000 rows");
    expect(expectedText(rule({ metric: "rowCount", mustBeGreaterOrEqualTo: 1 }))).toBe("≥ 1 row");
    expect(evaluateRule(rows, counted(0, 99), NOW).status).toBe("failed");
    expect(evaluateRule(rows, counted(0, 100), NOW)).toMatchObject({ status: "passed", value: 100, failing: 0 });
    expect(evaluateRule(rows, counted(0, 1000), NOW).status).toBe("failed");
    const fresh = rule({ metric: "freshness", property: "at", mustBeLessOrEqualTo: 24 });
    expect(evaluateRule(fresh, { ...counted(0), newest: new Date("2026-11-30T00:00:00Z") }, NOW)).toMatchObject({ status: "failed", value: 36, unit: "hours", expected: "≤ 24 h" });
    expect(evaluateRule(fresh, { ...counted(0), newest: new Date("2026-12-01T06:00:00Z") }, NOW)).toMatchObject({ status: "passed", value: 6 });
    expect(evaluateRule(fresh, { ...counted(0), newest: null }, NOW)).toMatchObject({ status: "unknown", value: null });
  });

  it("is unknown when the rule could not be measured", () => {
    expect(evaluateRule(rule({ metric: "nullValues", property: "x" }), null, NOW)).toMatchObject({ status: "unknown", value: null, failing: 0 });
  });
});

describe("quantityText", () => {
  it("shows every value with its unit", () => {
    expect(quantityText(3.02, "hours")).toBe("3.02 h");
    expect(quantityText(7.5, "percent")).toBe("7.5 %");
    expect(quantityText(1, "rows")).toBe("1 row");
    expect(quantityText(0, "rows")).toBe("0 rows");
  });
});

describe("qualityRuleSchema", () => {
  const errors = (input: object) => {
    const result = qualityRulesSchema.safeParse([input]);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
  };
  it("takes the ODCS library metrics with defaults", () => {
    expect(rule({ metric: "duplicateValues", property: "id" })).toMatchObject({ unit: "rows", severity: "warning", rejectLoad: false });
  });
  it("names what a rule lacks", () => {
    expect(errors({ id: "a", metric: "nullValues" })).toEqual(["0.property"]);
    expect(errors({ id: "a", metric: "rowCount" })).toEqual(["0.mustBe"]);
    expect(errors({ id: "a", metric: "invalidValues", property: "x" })).toEqual(["0.arguments"]);
    expect(errors({ id: "a", metric: "nullValues", property: "x", rejectLoad: true })).toEqual(["0.rejectLoad"]);
    expect(errors({ id: "a", metric: "invalidValues", property: "x", arguments: { pattern: "([" } })).toEqual(["0.arguments.pattern"]);
    expect(errors({ id: "A b", metric: "rowCount", mustBe: 1 })).toEqual(["0.id"]);
    expect(errors({ id: "a", metric: "rowCount", mustBe: 1, colour: "red" })).toEqual(["0"]);
  });
  it("refuses two rules with one id", () => {
    const result = qualityRulesSchema.safeParse([
      { id: "a", metric: "rowCount", mustBe: 1 },
      { id: "a", metric: "rowCount", mustBe: 2 },
    ]);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["1.id"]);
  });
});

describe("qualityRuleProblems", () => {
  const schema = {
    primaryKey: "id",
    fields: [
      { name: "id", type: "string" as const, required: true, description: "", pii: false },
      { name: "amount", type: "number" as const, required: false, description: "", pii: false },
      { name: "day", type: "date" as const, required: false, description: "", pii: false },
    ],
  };
  it("checks properties and range bounds against the schema", () => {
    expect(qualityRuleProblems(schema, [rule({ metric: "invalidValues", property: "amount", arguments: { minimum: 0, maximum: 100 } })])).toEqual({});
    expect(qualityRuleProblems(schema, [rule({ metric: "invalidValues", property: "day", arguments: { minimum: "2020-01-01" } })])).toEqual({});
    expect(Object.keys(qualityRuleProblems(schema, [rule({ metric: "nullValues", property: "gone" })]))).toEqual(["quality.0.property"]);
    expect(Object.keys(qualityRuleProblems(schema, [rule({ metric: "freshness", property: "id", mustBeLessThan: 1 })]))).toEqual(["quality.0.property"]);
    expect(Object.keys(qualityRuleProblems(schema, [rule({ metric: "invalidValues", property: "amount", arguments: { minimum: "low" } })]))).toEqual(["quality.0.arguments.minimum"]);
    expect(Object.keys(qualityRuleProblems(schema, [rule({ metric: "invalidValues", property: "day", arguments: { maximum: "soon" } })]))).toEqual(["quality.0.arguments.maximum"]);
    expect(Object.keys(qualityRuleProblems(schema, [rule({ metric: "invalidValues", property: "id", arguments: { minimum: 1 } })]))).toEqual(["quality.0.arguments.minimum"]);
    expect(qualityRuleProblems(schema, [rule({ metric: "invalidValues", property: "amount", arguments: { minimum: 5, maximum: 1 } })])).toEqual({
      "quality.0.arguments.maximum": ["maximum must not be less than minimum"],
    });
    expect(Object.keys(qualityRuleProblems(schema, [rule({ metric: "invalidValues", property: "day", arguments: { minimum: "2021-01-01", maximum: "2020-01-01" } })]))).toEqual(["quality.0.arguments.maximum"]);
  });
});
