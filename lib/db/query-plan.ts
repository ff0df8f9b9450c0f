import { AppError } from "../errors";
import { FLIPPED, isOrderedOp, type Execution, type Filter, type OrderedOp, type Plan } from "../validation/answers";
import type { FieldType, ProductSchema } from "../validation/product";
import { dayBound, evaluatePlan, orderRows, positionsOf, rowComparator, sortOf } from "../mesh/plan/columns";
import { db } from "./client";
import { Prisma } from "./generated/client";
import { columnsAt, heldColumns, productStamp, type HeldColumns } from "./record-columns";
import { productStampSql } from "./value-catalog";

/**
 * The executor of query plans: parameterised SQL over the records' JSON,
 * each field cast by its schema type (numbers as numeric, dates as date,
 * timestamps as timestamptz, booleans as boolean). Field names and values
 * travel as parameters — no SQL text is built from a question or a plan —
 * and every statement runs under a timeout, with bounded rows and groups.
 * Records are ranked inside the filters: first by the product's hybrid
 * search (`ranking`, from match_records), then by vector distance.
 */

export const STATEMENT_TIMEOUT_MS = 3000;
export const MAX_GROUPS = 50;

export interface Ranking {
  /** Keys in the product's search order, with their scores. */
  keys: string[];
  scores: number[];
  /** The question's embedding, for the records the search did not return. */
  embedding?: number[];
  /** The ranked keys relevant to the question, for a plan that keeps only those (`relevantOnly`). */
  relevant?: string[];
}

const vectorLiteral = (vector: number[]) => `[${vector.join(",")}]`;

function typeOf(schema: ProductSchema, field: string): FieldType {
  const found = schema.fields.find((candidate) => candidate.name === field);
  if (!found) throw new AppError("validation", `${field} is not a field of this product`, { field: [`No field ${field}`] });
  return found.type;
}

/** The field's value as SQL of its type. */
function typed(field: string, type: FieldType): Prisma.Sql {
  const text = Prisma.sql`(r.data ->> ${field})`;
  switch (type) {
    case "integer":
    case "number":
      return Prisma.sql`${text}::numeric`;
    case "boolean":
      return Prisma.sql`${text}::boolean`;
    case "date":
      return Prisma.sql`${text}::date`;
    case "timestamp":
      return Prisma.sql`${text}::timestamptz`;
    default:
      return text;
  }
}

/** A plan value as SQL of the field's type; a day bound of a timestamp becomes the day's first instant (UTC). */
function param(value: unknown, type: FieldType, end = false): Prisma.Sql {
  switch (type) {
    case "integer":
    case "number": {
      const number = typeof value === "number" ? value : Number(value);
      if (!Number.isFinite(number)) throw new AppError("validation", `${JSON.stringify(value)} is not a number`, { value: ["Expected a number"] });
      return Prisma.sql`${number}::numeric`;
    }
    case "boolean":
      if (typeof value !== "boolean" && value !== "true" && value !== "false") throw new AppError("validation", `${JSON.stringify(value)} is not true or false`, { value: ["Expected true or false"] });
      return Prisma.sql`${value === true || value === "true"}::boolean`;
    case "date":
      return Prisma.sql`${String(value).slice(0, 10)}::date`;
    case "timestamp": {
      const text = String(value);
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
        return end ? Prisma.sql`(${text}::date + 1)::timestamp AT TIME ZONE 'UTC'` : Prisma.sql`${text}::date::timestamp AT TIME ZONE 'UTC'`;
      }
      return Prisma.sql`${text}::timestamptz`;
    }
    default:
      return Prisma.sql`${String(value)}`;
  }
}

/** The JSON value a record holds for an equality, as stored (texts exactly, numbers and booleans typed). */
function stored(value: unknown, type: FieldType): unknown {
  if (type === "integer" || type === "number") return typeof value === "number" ? value : Number(value);
  if (type === "boolean") return value === true || value === "true";
  return String(value);
}

/** `field = value` as JSON containment: one comparison on the stored JSON, typed as stored. */
const contains = (field: string, value: unknown, type: FieldType) => Prisma.sql`r.data @> ${JSON.stringify({ [field]: stored(value, type) })}::jsonb`;

const ORDERED_SQL: Record<OrderedOp, Prisma.Sql> = { gt: Prisma.sql`>`, gte: Prisma.sql`>=`, lt: Prisma.sql`<`, lte: Prisma.sql`<=` };
const NUMERIC_TYPES = new Set(["integer", "number"]);
const TIME_TYPES = new Set(["date", "timestamp"]);

/**
 * `field op than`: two fields of one record, both numbers or both dates/timestamps; a record missing
 * either does not match. A timestamp against a date compares with the day's edges (UTC): "after the
 * due date" is after the day's end; a date against a timestamp is the same comparison turned round.
 */
function fieldComparison(filter: Filter & { than: string }, schema: ProductSchema): Prisma.Sql {
  const [type, other] = [typeOf(schema, filter.field), typeOf(schema, filter.than)];
  if (!isOrderedOp(filter.op)) throw new AppError("validation", `${filter.op} compares with a value, not a field`, { than: ["Use gt, gte, lt or lte"] });
  if (!((NUMERIC_TYPES.has(type) && NUMERIC_TYPES.has(other)) || (TIME_TYPES.has(type) && TIME_TYPES.has(other)))) {
    throw new AppError("validation", `${filter.field} (${type}) cannot be compared with ${filter.than} (${other})`, { than: ["Name a field of the same kind: both numbers or both dates"] });
  }
  if (type === other || NUMERIC_TYPES.has(type)) return Prisma.sql`${typed(filter.field, type)} ${ORDERED_SQL[filter.op]} ${typed(filter.than, other)}`;
  const [stamp, day, op] = type === "timestamp" ? [filter.field, filter.than, filter.op] : [filter.than, filter.field, FLIPPED[filter.op]];
  const { op: bound, end } = dayBound(op);
  return Prisma.sql`${typed(stamp, "timestamp")} ${ORDERED_SQL[bound]} ((r.data ->> ${day})::date + ${end ? 1 : 0}::integer)::timestamp AT TIME ZONE 'UTC'`;
}

function condition(filter: Filter, schema: ProductSchema): Prisma.Sql {
  if (filter.than !== undefined) return fieldComparison({ ...filter, than: filter.than }, schema);
  const type = typeOf(schema, filter.field);
  // Equality on stored values (the planner takes them from the value catalog): containment.
  const exact = type === "string" || type === "boolean" || type === "integer" || type === "number";
  if (exact && filter.op === "eq") return contains(filter.field, filter.value, type);
  if (exact && filter.op === "in") return Prisma.sql`(${Prisma.join((filter.values ?? []).map((value) => contains(filter.field, value, type)), " OR ")})`;
  const column = typed(filter.field, type);
  const list = (filter.values ?? []).map((value) => param(value, type));
  // A timestamp compared with a day: "before/until the day" means before its end.
  const dayBound = type === "timestamp" && typeof filter.value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(filter.value);
  switch (filter.op) {
    case "eq":
      return dayBound
        ? Prisma.sql`(${column} >= ${param(filter.value, type)} AND ${column} < ${param(filter.value, type, true)})`
        : Prisma.sql`${column} = ${param(filter.value, type)}`;
    case "ne":
      return Prisma.sql`${column} IS DISTINCT FROM ${param(filter.value, type)}`;
    case "gt":
      return Prisma.sql`${column} ${dayBound ? Prisma.sql`>=` : Prisma.sql`>`} ${param(filter.value, type, dayBound)}`;
    case "gte":
      return Prisma.sql`${column} >= ${param(filter.value, type)}`;
    case "lt":
      return Prisma.sql`${column} < ${param(filter.value, type)}`;
    case "lte":
      return Prisma.sql`${column} ${dayBound ? Prisma.sql`<` : Prisma.sql`<=`} ${param(filter.value, type, dayBound)}`;
    case "between":
      return type === "timestamp"
        ? Prisma.sql`(${column} >= ${list[0]!} AND ${column} < ${param(filter.values![1], type, true)})`
        : Prisma.sql`${column} BETWEEN ${list[0]!} AND ${list[1]!}`;
    case "in":
      return Prisma.sql`${column} IN (${Prisma.join(list)})`;
    case "not_in":
      return Prisma.sql`(${column} IS NULL OR ${column} NOT IN (${Prisma.join(list)}))`;
    case "present":
      return Prisma.sql`r.data ? ${filter.field}`;
    case "absent":
      return Prisma.sql`NOT (r.data ? ${filter.field})`;
  }
}

export function whereOf(productId: string, plan: Pick<Plan, "filters">, schema: ProductSchema): Prisma.Sql {
  return Prisma.join([Prisma.sql`r.product_id = ${productId}::uuid`, ...plan.filters.map((filter) => condition(filter, schema))], " AND ");
}

/**
 * Rows in the plan's order: its sort, else the search ranking, else the vector distance; a lookup
 * in a product without semantic search by the question's words in the record's text; then the key.
 */
function orderOf(plan: Plan, schema: ProductSchema, ranking?: Ranking): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (plan.sort) parts.push(Prisma.sql`${typed(plan.sort.field, typeOf(schema, plan.sort.field))} ${plan.sort.direction === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`} NULLS LAST`);
  if (ranking?.keys.length) parts.push(Prisma.sql`m.score DESC NULLS LAST`);
  if (ranking?.embedding) parts.push(Prisma.sql`distance ASC NULLS LAST`);
  // Only a lookup needs the best match first; a full-text rank over every filtered record is not free.
  if (!ranking && plan.search && plan.operation === "lookup") {
    parts.push(Prisma.sql`ts_rank(to_tsvector('english', r.data::text), replace(plainto_tsquery('english', ${plan.search})::text, ' & ', ' | ')::tsquery) DESC`);
  }
  parts.push(Prisma.sql`r.key`);
  return Prisma.join(parts, ", ");
}

function rankingJoins(ranking?: Ranking): { joins: Prisma.Sql; distance: Prisma.Sql } {
  const matched = ranking?.keys.length
    ? Prisma.sql`LEFT JOIN unnest(${ranking.keys}::text[], ${ranking.scores}::float8[]) AS m(key, score) ON m.key = r.key`
    : Prisma.empty;
  if (!ranking?.embedding) return { joins: matched, distance: Prisma.sql`NULL::float8` };
  return {
    joins: Prisma.sql`${matched} LEFT JOIN record_embeddings e ON e.product_id = r.product_id AND e.key = r.key`,
    distance: Prisma.sql`(e.embedding <=> ${vectorLiteral(ranking.embedding)}::vector)`,
  };
}

type Row = { key: string; data: Record<string, unknown>; distance: number | null };
/** A row with the product's stamp as of the statement that read it. */
type StampedRow = Row & { stamp: string | null };
type Tx = Prisma.TransactionClient;

/** The plan's rows in SQL: its filters, its order (sort, search score, vector distance, key), its limit; each with the product's stamp. */
function rowsInSql(tx: Tx, productId: string, plan: Plan, schema: ProductSchema, where: Prisma.Sql, ranking?: Ranking): Promise<StampedRow[]> {
  const { joins, distance } = rankingJoins(ranking);
  const minMax = plan.operation === "min" || plan.operation === "max";
  const order = orderOf({ ...plan, sort: sortOf(plan) }, schema, ranking);
  return tx.$queryRaw<StampedRow[]>`
    SELECT r.key, r.data, ${distance} AS distance, ${productStampSql(productId)} AS stamp
    FROM records r ${joins}
    WHERE ${where} ${minMax ? Prisma.sql`AND r.data ? ${plan.field!}` : Prisma.empty}
    ORDER BY ${order}
    LIMIT ${plan.limit}`;
}

const executionOf = (plan: Plan, matched: number, value: number | null, rows: Row[], groups: Execution["groups"]): Execution => ({
  matched,
  value: plan.operation === "count" || plan.operation === "exists" || plan.operation === "list" || plan.operation === "group" ? matched : value,
  rows: rows.map((row) => ({ key: row.key, data: row.data, similarity: row.distance === null ? null : 1 - row.distance })),
  groups,
  capped: matched > rows.length && plan.operation !== "min" && plan.operation !== "max" && plan.operation !== "lookup",
});

/** The plan's conditions, and for a plan that keeps only the relevant records, the ranking's relevant keys. */
function whereRanked(productId: string, plan: Plan, schema: ProductSchema, ranking?: Ranking): Prisma.Sql {
  const filtered = whereOf(productId, plan, schema);
  return plan.relevantOnly && ranking?.relevant ? Prisma.sql`${filtered} AND r.key = ANY(${ranking.relevant}::text[])` : filtered;
}

/** `work` in a transaction whose statements stop after STATEMENT_TIMEOUT_MS. */
function withStatementTimeout<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
    return work(tx);
  });
}

function checkMeasure(plan: Plan, schema: ProductSchema) {
  if ((plan.operation === "sum" || plan.operation === "avg") && !["integer", "number"].includes(plan.field ? typeOf(schema, plan.field) : "")) {
    throw new AppError("validation", `${plan.operation} needs a number field${plan.field ? `; ${plan.field} is not one` : ""}`, { field: ["Choose a number field"] });
  }
}

/**
 * The product's stamp moved since the caller's value catalog was read (a write, on any server):
 * its plan may name values that changed; plan again with the current catalog.
 */
export class StaleCatalog extends Error {
  constructor() {
    super("The product changed since its value catalog was read");
  }
}

/** What the caller planned with: the stamp of its value catalog (lib/db/value-catalog.ts `heldCatalog`), checked in the executor's first statement. */
export interface PlannedAt {
  stamp?: string;
}

const checkStamp = (stamp: string | null | undefined, { stamp: expected }: PlannedAt) => {
  if (expected !== undefined && (stamp ?? "") !== expected) throw new StaleCatalog();
};

/** The reference executor: every condition, aggregate, group and order in SQL over the records' JSON. */
export async function executePlanInSql(productId: string, plan: Plan, schema: ProductSchema, ranking?: Ranking, planned: PlannedAt = {}): Promise<Execution> {
  checkMeasure(plan, schema);
  const where = whereRanked(productId, plan, schema, ranking);
  const measure = plan.field ? typed(plan.field, typeOf(schema, plan.field)) : undefined;
  return withStatementTimeout(async (tx) => {
    const [totals] = await tx.$queryRaw<{ matched: number; value: number | null; stamp: string | null }[]>`
      SELECT count(*)::int AS matched,
             ${plan.operation === "sum" ? Prisma.sql`coalesce(sum(${measure!}), 0)::float8` : plan.operation === "avg" ? Prisma.sql`avg(${measure!})::float8` : Prisma.sql`NULL::float8`} AS value,
             ${productStampSql(productId)} AS stamp
      FROM records r WHERE ${where}`;
    checkStamp(totals?.stamp, planned);
    const rows = await rowsInSql(tx, productId, plan, schema, where, ranking);
    const groups =
      plan.operation === "group" && plan.field
        ? await tx.$queryRaw<{ value: string | null; count: number }[]>`
            SELECT r.data ->> ${plan.field} AS value, count(*)::int AS count
            FROM records r WHERE ${where}
            GROUP BY 1 ORDER BY 2 ${plan.sort?.direction === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`}, 1 LIMIT ${MAX_GROUPS}`
        : [];
    return executionOf(plan, totals?.matched ?? 0, totals?.value ?? null, rows, groups.map((group) => ({ value: group.value, count: group.count, total: null })));
  });
}

/**
 * The executor: the plan's conditions, aggregate, groups and order over the
 * product's columns held in memory (lib/db/record-columns.ts), then its rows
 * fetched by key, when the columns decide all of it; otherwise, in part or
 * whole, the SQL executor (text ranges, a full-text order, vector distance
 * deciding which rows are in, a product too large to hold). One statement
 * in the common case: the held columns are used unchecked and the statement
 * that fetches the rows also reads the product's stamp; when it moved (a
 * write, on any server) the columns are read again and the plan evaluated
 * again. With `planned.stamp` (the stamp of the value catalog the plan was
 * made with), a move throws StaleCatalog instead, for the caller to plan again.
 */
export async function executePlan(productId: string, plan: Plan, schema: ProductSchema, ranking?: Ranking, planned: PlannedAt = {}): Promise<Execution> {
  checkMeasure(plan, schema);
  const fullText = !ranking && Boolean(plan.search) && plan.operation === "lookup";
  let held = fullText ? undefined : await heldColumns(productId, schema);
  // A second read only when a write lands between the columns' read and the rows' statement.
  for (let attempt = 0; held && attempt < 3; attempt++) {
    const outcome = await executeOnColumns(productId, plan, schema, held, ranking);
    if (!outcome) break;
    checkStamp(outcome.stamp, planned);
    if (outcome.stamp === held.stamp) return outcome.execution;
    held = await columnsAt(productId, schema, outcome.stamp);
  }
  return executePlanInSql(productId, plan, schema, ranking, planned);
}

/** The plan over the held columns and its rows, with the product's stamp read by the rows' statement; undefined when the columns cannot decide it. */
async function executeOnColumns(productId: string, plan: Plan, schema: ProductSchema, held: HeldColumns, ranking?: Ranking): Promise<{ execution: Execution; stamp: string | undefined } | undefined> {
  const { columns } = held;
  const relevant = plan.relevantOnly && ranking?.relevant ? new Set(positionsOf(columns, ranking.relevant)) : undefined;
  const evaluation = evaluatePlan(columns, plan, relevant, MAX_GROUPS);
  if (!evaluation) return undefined;
  const scores = new Map<number, number>();
  if (ranking?.keys.length) positionsOf(columns, ranking.keys).forEach((position, i) => scores.has(position) || scores.set(position, ranking.scores[i]!));
  const ordered = orderRows(columns, plan, evaluation.matched, scores, plan.limit);
  const groups = evaluation.groups.map((group) => ({ ...group, total: null }));
  const matched = evaluation.matched.length;
  // The stamp comes with the rows; a statement for it alone when there are none.
  const stampOf = async (rows: StampedRow[]) => (rows.length ? (rows[0]!.stamp ?? undefined) : await productStamp(productId));
  if (ranking?.embedding && !ordered.decided) {
    // Vector distance decides which records are in: the rows in SQL, inside the same conditions.
    const rows = await withStatementTimeout((tx) => rowsInSql(tx, productId, plan, schema, whereRanked(productId, plan, schema, ranking), ranking));
    return { execution: executionOf(plan, matched, evaluation.value, rows, groups), stamp: await stampOf(rows) };
  }
  const keys = ordered.positions.map((position) => columns.keys[position]!);
  const { joins, distance } = rankingJoins(ranking?.embedding ? { keys: [], scores: [], embedding: ranking.embedding } : undefined);
  const fetched = keys.length
    ? await db().$queryRaw<StampedRow[]>`
        SELECT r.key, r.data, ${distance} AS distance, ${productStampSql(productId)} AS stamp
        FROM records r ${joins} WHERE r.product_id = ${productId}::uuid AND r.key = ANY(${keys}::text[])`
    : [];
  const byKey = new Map(fetched.map((row) => [row.key, row]));
  const compare = rowComparator(columns, plan, scores);
  const position = new Map(ordered.positions.map((at, i) => [keys[i]!, at]));
  const rows = keys
    .map((key) => byKey.get(key))
    .filter((row): row is StampedRow => row !== undefined)
    .sort((a, b) => {
      const x = position.get(a.key)!;
      const y = position.get(b.key)!;
      return (compare?.(x, y) ?? 0) || byDistance(a.distance, b.distance) || x - y;
    });
  return { execution: executionOf(plan, matched, evaluation.value, rows, groups), stamp: await stampOf(fetched) };
}

const byDistance = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b);

/**
 * Records of a product whose text fields hold one of `values` (shared keys:
 * the same booking, property or supplier id), with the field that holds it.
 */
export async function recordsHoldingValues(
  productId: string,
  fields: string[],
  values: string[],
  limit = 20,
): Promise<{ key: string; data: Record<string, unknown>; field: string; value: string }[]> {
  if (fields.length === 0 || values.length === 0) return [];
  return db().$queryRaw`
    SELECT r.key, r.data, f.name AS field, r.data ->> f.name AS value
    FROM records r, unnest(${fields}::text[]) AS f(name)
    WHERE r.product_id = ${productId}::uuid AND (r.data ->> f.name) = ANY(${values}::text[])
    ORDER BY r.key
    LIMIT ${limit}`;
}
