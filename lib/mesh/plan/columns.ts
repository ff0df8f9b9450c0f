import { FLIPPED, isOrderedOp, type Filter, type OrderedOp, type Plan } from "../../validation/answers";
import type { FieldType, ProductSchema } from "../../validation/product";

/**
 * A product's records as typed columns, for plans over many records: the
 * conditions, counts, totals, groups and order of a plan computed over
 * arrays instead of each record's JSON, with the executor's SQL semantics
 * (lib/db/query-plan.ts, the reference; an integration test holds the two
 * to the same answers). Numbers, dates and timestamps are numbers (dates and
 * timestamps as milliseconds since 1970, UTC), NaN where a record has no
 * value; booleans 1/0, -1 where absent; categorical text as codes into its
 * distinct values, -1 where absent. Pure: the database layer loads the
 * columns and fetches the rows this module picks.
 */

export type Column =
  | { kind: "number" | "date" | "timestamp"; values: Float64Array }
  | { kind: "boolean"; values: Int8Array }
  | { kind: "text"; codes: Int32Array; dictionary: string[] };

export interface RecordColumns {
  /** Record keys in the database's key order. */
  keys: string[];
  columns: Map<string, Column>;
  /** Key → position, built on first use. */
  index?: Map<string, number>;
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const dayStart = (text: string) => Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
/** A timestamp the database would read the same whatever its session's time zone: one with Z or an offset. */
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A calendar day's first instant (UTC); NaN for what is not one (2026-02-30 does not roll over to March). */
function calendarDay(text: string): number {
  const time = DAY.test(text) ? dayStart(text) : Number.NaN;
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text ? time : Number.NaN;
}

/** A stored JSON value as the column's number (NaN when absent or not of the type). */
function numberOf(type: FieldType, value: unknown): number {
  if (value === null || value === undefined) return Number.NaN;
  if (type === "integer" || type === "number") return typeof value === "number" ? value : Number.NaN;
  if (type === "date") return typeof value === "string" ? dayStart(value) : Number.NaN;
  return typeof value === "string" ? Date.parse(value) : Number.NaN;
}

/** The column of one field from its stored JSON values, one per record in key order. */
export function buildColumn(type: FieldType, values: unknown[]): Column {
  if (type === "boolean") return { kind: "boolean", values: Int8Array.from(values, (value) => (value === true ? 1 : value === false ? 0 : -1)) };
  if (type === "string") {
    const dictionary: string[] = [];
    const codeOf = new Map<string, number>();
    const codes = Int32Array.from(values, (value) => {
      if (typeof value !== "string") return -1;
      let code = codeOf.get(value);
      if (code === undefined) {
        code = dictionary.push(value) - 1;
        codeOf.set(value, code);
      }
      return code;
    });
    return { kind: "text", codes, dictionary };
  }
  return { kind: type === "integer" || type === "number" ? "number" : type, values: Float64Array.from(values, (value) => numberOf(type, value)) };
}

/** A plan value as a column number, with the SQL executor's casts; undefined when it is not one (the SQL path then says why). */
function planNumber(kind: "number" | "date" | "timestamp", value: unknown, end = false): number | undefined {
  if (kind === "number") {
    const number = typeof value === "number" ? value : Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  const text = String(value);
  const time = kind === "date" ? calendarDay(text.slice(0, 10)) : DAY.test(text) ? calendarDay(text) + (end ? DAY_MS : 0) : ZONED.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}

type Test = (index: number) => boolean;

/** One filter as a test of a record's position; undefined when the columns cannot decide it the SQL way. */
function testOf(filter: Filter, column: Column): Test | undefined {
  const { op } = filter;
  if (op === "present" || op === "absent") {
    const has: Test = column.kind === "text" ? (i) => column.codes[i]! >= 0 : column.kind === "boolean" ? (i) => column.values[i]! >= 0 : (i) => !Number.isNaN(column.values[i]!);
    return op === "present" ? has : (i) => !has(i);
  }
  if (column.kind === "text") {
    // Equality and membership only: text order follows the database's collation.
    const wanted = (op === "eq" || op === "ne" ? [filter.value] : (filter.values ?? [])).map((value) => column.dictionary.indexOf(String(value)));
    const codes = new Set(wanted.filter((code) => code >= 0));
    const [only] = codes;
    const held: Test = codes.size === 1 ? (i) => column.codes[i] === only : (i) => codes.has(column.codes[i]!);
    if (op === "eq" || op === "in") return held;
    if (op === "ne" || op === "not_in") return (i) => !held(i);
    return undefined;
  }
  if (column.kind === "boolean") {
    const truth = (value: unknown) => (value === true || value === "true" ? 1 : value === false || value === "false" ? 0 : undefined);
    const wanted = op === "eq" || op === "ne" ? [truth(filter.value)] : (filter.values ?? []).map(truth);
    // eq/in compare as stored (anything but true is false); ne/not_in cast, and refuse what is not a boolean.
    if (op === "eq" || op === "in") {
      const set = new Set(wanted.map((value) => value ?? 0));
      return (i) => set.has(column.values[i]!);
    }
    if (wanted.some((value) => value === undefined)) return undefined;
    if (op === "ne") return (i) => column.values[i] !== wanted[0];
    if (op === "not_in") return (i) => column.values[i]! < 0 || !wanted.includes(column.values[i]! as 0 | 1);
    return undefined;
  }
  const values = column.values;
  const kind = column.kind;
  // A timestamp compared with a day: "before/until the day" means before its end.
  const dayBound = kind === "timestamp" && typeof filter.value === "string" && DAY.test(filter.value);
  if (kind === "number" && (op === "eq" || op === "in")) {
    // As JSON containment: a value that is no number matches nothing.
    const set = new Set((op === "eq" ? [filter.value] : (filter.values ?? [])).map((value) => (typeof value === "number" ? value : Number(value))));
    return (i) => set.has(values[i]!);
  }
  const one = filter.value === undefined ? undefined : planNumber(kind, filter.value);
  const list = (filter.values ?? []).map((value) => planNumber(kind, value));
  if (["eq", "ne", "gt", "gte", "lt", "lte"].includes(op) && one === undefined) return undefined;
  if (["in", "not_in", "between"].includes(op) && list.some((value) => value === undefined)) return undefined;
  const v = one!;
  switch (op) {
    case "eq":
      return dayBound ? (i) => values[i]! >= v && values[i]! < v + DAY_MS : (i) => values[i] === v;
    case "ne":
      return (i) => values[i] !== v;
    case "gt":
      return dayBound ? (i) => values[i]! >= v + DAY_MS : (i) => values[i]! > v;
    case "gte":
      return (i) => values[i]! >= v;
    case "lt":
      return (i) => values[i]! < v;
    case "lte":
      return dayBound ? (i) => values[i]! < v + DAY_MS : (i) => values[i]! <= v;
    case "between": {
      const [from, to] = list as [number, number];
      if (kind !== "timestamp") return (i) => values[i]! >= from && values[i]! <= to;
      const end = planNumber(kind, filter.values![1], true)!;
      return (i) => values[i]! >= from && values[i]! < end;
    }
    case "in": {
      const set = new Set(list);
      return (i) => set.has(values[i]!);
    }
    case "not_in": {
      const set = new Set(list);
      return (i) => Number.isNaN(values[i]!) || !set.has(values[i]!);
    }
  }
  return undefined;
}

/**
 * A timestamp compared with a day, as an instant: after the day is at or after its end, until it
 * before its end; from it at or after its start, before it before its start (both executors).
 */
export function dayBound(op: OrderedOp): { op: OrderedOp; end: boolean } {
  return op === "gt" ? { op: "gte", end: true } : op === "lte" ? { op: "lt", end: true } : { op, end: false };
}

const ORDERED: Record<OrderedOp, (a: number, b: number) => boolean> = { gt: (a, b) => a > b, gte: (a, b) => a >= b, lt: (a, b) => a < b, lte: (a, b) => a <= b };

/** `field op than` over two columns, as the SQL executor compares them; a record missing either never matches. */
function comparisonOf(filter: Filter, column: Column, other: Column): Test | undefined {
  if (!isOrderedOp(filter.op) || column.kind === "text" || column.kind === "boolean" || other.kind === "text" || other.kind === "boolean") return undefined;
  if ((column.kind === "number") !== (other.kind === "number")) return undefined;
  if (column.kind === other.kind || column.kind === "number") {
    const compare = ORDERED[filter.op];
    return (i) => compare(column.values[i]!, other.values[i]!);
  }
  const [stamp, day, op] = column.kind === "timestamp" ? [column.values, other.values, filter.op] : [other.values, column.values, FLIPPED[filter.op]];
  const bound = dayBound(op);
  const compare = ORDERED[bound.op];
  const shift = bound.end ? DAY_MS : 0;
  return (i) => compare(stamp[i]!, day[i]! + shift);
}

export interface Evaluation {
  /** Positions of the records that satisfy the plan's filters (and relevance), in key order. */
  matched: Int32Array;
  /** The sum or average of the plan's field over them, else null. */
  value: number | null;
  groups: { value: string | null; count: number }[];
}

const fieldsOf = (plan: Plan) => [...plan.filters.flatMap((filter) => [filter.field, ...(filter.than ? [filter.than] : [])]), ...(plan.field ? [plan.field] : []), ...(plan.sort ? [plan.sort.field] : [])];

/** Whether every field the plan reads is held as a column. */
export const coversPlan = (columns: RecordColumns, plan: Plan) => fieldsOf(plan).every((field) => columns.columns.has(field));

/**
 * The plan's conditions, aggregate and groups over the columns, or undefined
 * when a condition or aggregate is one only SQL decides (text ranges, a
 * value that does not cast): the caller then runs the SQL executor, which
 * answers or names the problem.
 */
export function evaluatePlan(columns: RecordColumns, plan: Plan, relevant?: Set<number>, maxGroups = 50): Evaluation | undefined {
  if (!coversPlan(columns, plan)) return undefined;
  const tests: Test[] = [];
  for (const filter of plan.filters) {
    const test = filter.than ? comparisonOf(filter, columns.columns.get(filter.field)!, columns.columns.get(filter.than)!) : testOf(filter, columns.columns.get(filter.field)!);
    if (!test) return undefined;
    tests.push(test);
  }
  const matched = matchingPositions(columns.keys.length, tests, relevant);
  const measured = plan.field ? columns.columns.get(plan.field)! : undefined;
  let value: number | null = null;
  if (plan.operation === "sum" || plan.operation === "avg") {
    if (measured?.kind !== "number") return undefined;
    const { sum, count } = neumaierSum(measured.values, matched);
    value = plan.operation === "sum" ? sum : count ? sum / count : null;
  }
  let groups: Evaluation["groups"] = [];
  if (plan.operation === "group" && measured) {
    if (measured.kind !== "text" && measured.kind !== "boolean") return undefined;
    groups = groupCounts(measured, matched, plan.sort?.direction === "asc" ? "asc" : "desc").slice(0, maxGroups);
  }
  return { matched, value, groups };
}

/** Positions passing every test, in order: one test at a time over the positions still in, compacted in place. */
function matchingPositions(count: number, tests: Test[], relevant?: Set<number>): Int32Array {
  let positions: Int32Array;
  let size = 0;
  if (relevant) {
    positions = Int32Array.from(relevant).sort();
    size = positions.length;
  } else {
    positions = new Int32Array(count);
    const first = tests[0];
    for (let i = 0; i < count; i++) if (!first || first(i)) positions[size++] = i;
  }
  for (const test of relevant ? tests : tests.slice(1)) {
    let kept = 0;
    for (let at = 0; at < size; at++) if (test(positions[at]!)) positions[kept++] = positions[at]!;
    size = kept;
  }
  return positions.slice(0, size);
}

/** A compensated sum of the values present at the positions (numeric SQL sums exactly; plain float sums drift). */
function neumaierSum(values: Float64Array, positions: Int32Array): { sum: number; count: number } {
  let sum = 0;
  let compensation = 0;
  let count = 0;
  for (const i of positions) {
    const value = values[i]!;
    if (Number.isNaN(value)) continue;
    const total = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
    sum = total;
    count++;
  }
  return { sum: sum + compensation, count };
}

const byText = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/** GROUP BY the field's text: a group per value (absent values form one), by count, then by value. */
function groupCounts(column: Extract<Column, { kind: "text" | "boolean" }>, positions: Int32Array, direction: "asc" | "desc") {
  const counts = new Map<string | null, number>();
  for (const i of positions) {
    const text = column.kind === "text" ? (column.codes[i]! < 0 ? null : column.dictionary[column.codes[i]!]!) : column.values[i]! < 0 ? null : column.values[i] === 1 ? "true" : "false";
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => (direction === "desc" ? b.count - a.count : a.count - b.count) || byText(a.value, b.value));
}

/** A column's value at a position as a sort key: numbers as numbers, text by its value; null when absent. */
function sortKey(column: Column, i: number): number | string | null {
  if (column.kind === "text") return column.codes[i]! < 0 ? null : column.dictionary[column.codes[i]!]!;
  const value = column.values[i]!;
  return column.kind === "boolean" ? (value < 0 ? null : value) : Number.isNaN(value) ? null : value;
}

/**
 * The order of the plan's rows as far as the columns decide it: by its sort
 * field (nulls last; min and max sort by their field), then the search score
 * (higher first, unscored last). 0 for a tie, which the SQL executor breaks by
 * vector distance, then by key.
 */
export function rowComparator(columns: RecordColumns, plan: Plan, scores: Map<number, number>): ((a: number, b: number) => number) | undefined {
  const sort = sortOf(plan);
  const column = sort ? columns.columns.get(sort.field)! : undefined;
  if (!column && scores.size === 0) return undefined;
  const sign = sort?.direction === "desc" ? -1 : 1;
  return (a, b) => {
    if (column) {
      const x = sortKey(column, a);
      const y = sortKey(column, b);
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * sign;
      }
    }
    if (scores.size === 0) return 0;
    const s = scores.get(a);
    const t = scores.get(b);
    if (s === t) return 0;
    if (s === undefined) return 1;
    if (t === undefined) return -1;
    return t - s;
  };
}

/** The order a plan's rows are in: its sort, or for min and max their field, largest or smallest first. */
export const sortOf = (plan: Plan): Plan["sort"] =>
  plan.operation === "min" || plan.operation === "max" ? { field: plan.field!, direction: plan.operation === "max" ? "desc" : "asc" } : plan.sort;

export interface Ordered {
  /** Positions of the rows to return, best first as far as the sort and the scores decide, then by key. */
  positions: number[];
  /**
   * Whether that choice holds whatever the vector distance (the tie-break
   * after the score): no record left out ties with the last one kept.
   */
  decided: boolean;
}

/** The plan's `limit` rows among the matched positions (min and max: only records holding their field). */
export function orderRows(columns: RecordColumns, plan: Plan, matched: Int32Array, scores: Map<number, number>, limit: number): Ordered {
  const sort = sortOf(plan);
  let candidates = Array.from(matched);
  if (sort && (plan.operation === "min" || plan.operation === "max")) {
    const column = columns.columns.get(sort.field)!;
    candidates = candidates.filter((i) => sortKey(column, i) !== null);
  }
  const compare = rowComparator(columns, plan, scores);
  // Without a sort or scores every record ties: key order, no sorting needed.
  if (!compare) return { positions: candidates.slice(0, limit), decided: candidates.length <= limit };
  const order = (a: number, b: number) => compare(a, b) || a - b;
  // The first limit + 1 (the one after the edge tells whether it is a tie), without sorting every record.
  const best = topOf(candidates, limit + 1, order);
  const decided = best.length <= limit || compare(best[limit - 1]!, best[limit]!) !== 0;
  return { positions: best.slice(0, limit), decided };
}

/** The `k` first items by `order`, in order: one pass that keeps a sorted shortlist. */
function topOf(items: number[], k: number, order: (a: number, b: number) => number): number[] {
  const best: number[] = [];
  for (const item of items) {
    if (best.length === k && order(item, best[k - 1]!) >= 0) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && order(item, best[at - 1]!) < 0) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}

/** Positions of the given keys (those the product holds), through an index built once per columns. */
export function positionsOf(columns: RecordColumns, keys: string[]): number[] {
  columns.index ??= new Map(columns.keys.map((key, i) => [key, i]));
  return keys.map((key) => columns.index!.get(key)).filter((i): i is number => i !== undefined);
}

/** The fields of a schema worth holding as columns: every typed field and the categorical text fields. */
export function columnFields(schema: ProductSchema, categorical: (field: string) => boolean): { name: string; type: FieldType }[] {
  return schema.fields.filter((field) => field.type !== "string" || categorical(field.name)).map(({ name, type }) => ({ name, type }));
}
