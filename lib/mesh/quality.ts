import type { ProductSchema } from "../validation/product";
import { QUALITY_UNITS, THRESHOLDS, type QualityRule } from "../validation/quality";

/**
 * Data-quality rules: whether they fit a schema, what their metric's value
 * is from what was counted, and whether it passes the threshold. Pure.
 */

/** Failing record keys kept per result (the count is exact). */
export const MAX_FAILING_KEYS = 100;

/** What the database counted for one rule. */
export interface RuleMeasurement {
  /** Records in the product. */
  total: number;
  /** Records failing the row-level metrics (null, duplicate, invalid values), with up to MAX_FAILING_KEYS of their keys. */
  failing: number;
  failingKeys: string[];
  /** freshness: the newest value of the property; null when no record has one. */
  newest?: Date | null;
}

export { QUALITY_UNITS };
/** The unit of a rule's value and thresholds. */
export type QualityUnit = (typeof QUALITY_UNITS)[number];

export interface QualityResult {
  rule: string;
  severity: QualityRule["severity"];
  status: "passed" | "failed" | "unknown";
  /** Records failing the rule (row-level metrics; 0 for rowCount and freshness). */
  failing: number;
  checkedAt: string;
  metric: QualityRule["metric"];
  /** The metric's value compared with the threshold, in `unit`; null when unmeasurable. */
  value: number | null;
  unit: QualityUnit;
  /** The threshold, for people: "= 0 rows", "≥ 1000 rows", "≤ 24 h". */
  expected: string;
  /** Up to MAX_FAILING_KEYS keys of failing records. */
  failingKeys: string[];
}

const COUNTED = new Set<QualityRule["metric"]>(["nullValues", "duplicateValues", "invalidValues"]);

/** The thresholds a rule sets; row-level metrics default to "must be 0". */
function thresholdsOf(rule: QualityRule): [typeof THRESHOLDS[number], number][] {
  const set = THRESHOLDS.flatMap((key) => (rule[key] === undefined ? [] : [[key, rule[key]!] as [typeof THRESHOLDS[number], number]]));
  return set.length || !COUNTED.has(rule.metric) ? set : [["mustBe", 0]];
}

const SYMBOL: Record<typeof THRESHOLDS[number], string> = {
  mustBe: "=",
  mustBeLessThan: "<",
  mustBeLessOrEqualTo: "≤",
  mustBeGreaterThan: ">",
  mustBeGreaterOrEqualTo: "≥",
};

/** Freshness is in hours; the other metrics count rows, or their percentage of the records. */
export const unitOf = (rule: Pick<QualityRule, "metric"> & Partial<Pick<QualityRule, "unit">>): QualityUnit =>
  rule.metric === "freshness" ? "hours" : rule.unit === "percent" ? "percent" : "rows";

/** A rule's value or threshold with its unit, for people: "3.02 h", "7.5 %", "1 row", "1000 rows". */
export function quantityText(value: number, unit: QualityUnit): string {
  if (unit === "hours") return `${value} h`;
  if (unit === "percent") return `${value} %`;
  return `${value} ${value === 1 ? "row" : "rows"}`;
}

export function expectedText(rule: QualityRule): string {
  const unit = unitOf(rule);
  return thresholdsOf(rule)
    .map(([key, value]) => `${SYMBOL[key]} ${quantityText(value, unit)}`)
    .join(" and ");
}

function compare(key: typeof THRESHOLDS[number], value: number, bound: number): boolean {
  switch (key) {
    case "mustBe":
      return value === bound;
    case "mustBeLessThan":
      return value < bound;
    case "mustBeLessOrEqualTo":
      return value <= bound;
    case "mustBeGreaterThan":
      return value > bound;
    case "mustBeGreaterOrEqualTo":
      return value >= bound;
  }
}

/** The metric's value from what was counted, at `now`. */
export function metricValue(rule: QualityRule, measurement: RuleMeasurement, now: Date): number | null {
  if (rule.metric === "rowCount") return measurement.total;
  if (rule.metric === "freshness") {
    if (!measurement.newest) return null;
    return Math.round((Math.max(0, now.getTime() - measurement.newest.getTime()) / 3_600_000) * 100) / 100;
  }
  if (rule.unit === "percent") return measurement.total ? Math.round((10_000 * measurement.failing) / measurement.total) / 100 : 0;
  return measurement.failing;
}

/** The rule's result; a rule that could not be measured (null) is unknown. */
export function evaluateRule(rule: QualityRule, measurement: RuleMeasurement | null, now: Date): QualityResult {
  const value = measurement ? metricValue(rule, measurement, now) : null;
  const passed = value !== null && thresholdsOf(rule).every(([key, bound]) => compare(key, value, bound));
  const counted = COUNTED.has(rule.metric);
  return {
    rule: rule.id,
    severity: rule.severity,
    status: value === null ? "unknown" : passed ? "passed" : "failed",
    failing: counted && measurement ? measurement.failing : 0,
    checkedAt: now.toISOString(),
    metric: rule.metric,
    value,
    unit: unitOf(rule),
    expected: expectedText(rule),
    failingKeys: counted && measurement && !passed ? measurement.failingKeys.slice(0, MAX_FAILING_KEYS) : [],
  };
}

/** One line for a failing rule, as a load rejection reports it beside a row. */
export function ruleMessage(rule: QualityRule): string {
  const what: Record<QualityRule["metric"], string> = {
    nullValues: "has no value",
    duplicateValues: "shares its value with another record",
    invalidValues: "has a value the rule does not allow",
    rowCount: "row count is outside the rule",
    freshness: "is too old",
  };
  return `quality rule ${rule.id} (error): ${rule.property ?? "the product"} ${what[rule.metric]}`;
}

const NUMERIC = new Set(["integer", "number"]);
const TEMPORAL = new Set(["date", "timestamp"]);

/** Why `rules` do not fit `schema`, keyed by field path (quality.0.property), or {} when they do. */
export function qualityRuleProblems(schema: ProductSchema, rules: QualityRule[]): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (index: number, key: string, message: string) => (problems[`quality.${index}.${key}`] ??= []).push(message);
  rules.forEach((rule, index) => {
    if (!rule.property) return;
    const field = schema.fields.find((candidate) => candidate.name === rule.property);
    if (!field) return add(index, "property", `${rule.property} is not a field of the schema`);
    if (rule.metric === "freshness" && !TEMPORAL.has(field.type)) add(index, "property", `freshness needs a date or timestamp field; ${field.name} is ${field.type}`);
    const { minimum, maximum } = rule.arguments ?? {};
    for (const [key, bound] of [["minimum", minimum], ["maximum", maximum]] as const) {
      if (bound === undefined) continue;
      if (NUMERIC.has(field.type) && typeof bound !== "number") add(index, `arguments.${key}`, `${key} of a ${field.type} field is a number`);
      else if (TEMPORAL.has(field.type) && (typeof bound !== "string" || Number.isNaN(Date.parse(bound)))) add(index, `arguments.${key}`, `${key} of a ${field.type} field is a date or timestamp`);
      else if (!NUMERIC.has(field.type) && !TEMPORAL.has(field.type)) add(index, `arguments.${key}`, `ranges apply to number, date and timestamp fields; ${field.name} is ${field.type}`);
    }
    const order = (bound: string | number) => (typeof bound === "number" ? bound : Date.parse(bound));
    if (minimum !== undefined && maximum !== undefined && order(minimum) > order(maximum)) add(index, "arguments.maximum", "maximum must not be less than minimum");
  });
  return problems;
}
