import "server-only";
import { MAX_FAILING_KEYS, type RuleMeasurement } from "../mesh/quality";
import type { FieldType } from "../validation/product";
import type { QualityRule } from "../validation/quality";
import type { Prisma } from "./generated/client";

/**
 * Data-quality rules measured in SQL over a product's records: one pass
 * counts every rule but duplicateValues (one FILTER aggregate per rule), one
 * grouped pass measures each duplicateValues rule (with its failing keys),
 * and the keys of the other failing records are read afterwards, only for the
 * rules that fail. Field names, values and patterns are always bound parameters.
 */

type Tx = Prisma.TransactionClient;

/** A rule and the type of its property (undefined for rules on the whole product). */
export interface RuleSpec {
  rule: QualityRule;
  type: FieldType | undefined;
}

const NUMERIC = new Set<FieldType>(["integer", "number"]);
const TEMPORAL = new Set<FieldType>(["date", "timestamp"]);

/** Positional parameters of one statement; $1 is always the product id. */
class Params {
  readonly values: unknown[];
  constructor(productId: string) {
    this.values = [productId];
  }
  bind(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

const RANGE: Record<string, string> = { numeric: "numrange", timestamptz: "tstzrange" };

/**
 * The SQL condition of a record failing a row-level rule (nullValues,
 * invalidValues), reading the value once per argument: a record without a
 * value makes each test null, which counts as not failing, so no separate
 * "has a value" test is needed; a range is one containment test.
 */
function failingCondition({ rule, type = "string" }: RuleSpec, params: Params): string {
  const field = params.bind(rule.property ?? "", "text");
  if (rule.metric === "nullValues") return `data->>${field} IS NULL`;
  const cast = NUMERIC.has(type) ? "numeric" : TEMPORAL.has(type) ? "timestamptz" : "text";
  const value = cast === "text" ? `(data->>${field})` : `(data->>${field})::${cast}`;
  const { validValues, pattern, minimum, maximum } = rule.arguments ?? {};
  const bad: string[] = [];
  if (validValues) bad.push(`NOT (${value} = ANY(${params.bind(validValues.map(String), `${cast}[]`)}))`);
  if (pattern) bad.push(`NOT ((data->>${field}) ~ ${params.bind(pattern, "text")})`);
  if ((minimum !== undefined || maximum !== undefined) && RANGE[cast]) {
    const bound = (value: string | number | undefined) => (value === undefined ? `NULL::${cast}` : params.bind(String(value), cast));
    bad.push(`NOT (${RANGE[cast]}(${bound(minimum)}, ${bound(maximum)}, '[]') @> ${value})`);
  }
  return bad.length ? `(${bad.join(" OR ")})` : "false";
}

/**
 * duplicateValues rules that need a grouped pass of their own. One on the
 * primary key cannot fail: records are stored by their key, and the key
 * cannot change while there are records.
 */
const needsGrouping = ({ rule }: RuleSpec, primaryKey: string) => rule.metric === "duplicateValues" && rule.property !== primaryKey;

/**
 * The newest value of `field` (a bound parameter): from the records' indexed
 * event time when `field` is the product's event-time field (which it holds,
 * parsed alike), else parsed from every record.
 */
const newestValue = (field: string) => `(CASE WHEN (SELECT sla->>'eventTimeField' FROM products WHERE id = $1::uuid) = ${field}
    THEN (SELECT max(event_at) FROM records WHERE product_id = $1::uuid)
    ELSE (SELECT max((data->>${field})::timestamptz) FROM records WHERE product_id = $1::uuid) END)`;

/**
 * One pass: the record count, and per rule its failing records (nullValues,
 * invalidValues) or newest value (freshness); rowCount and duplicateValues
 * on the primary key need only the count.
 */
async function countInOnePass(tx: Tx, productId: string, specs: RuleSpec[]): Promise<{ total: number; rules: RuleMeasurement[] }> {
  const params = new Params(productId);
  const columns = specs.map((spec, index) => {
    if (spec.rule.metric === "freshness") return `${newestValue(params.bind(spec.rule.property ?? "", "text"))} AS r${index}`;
    if (spec.rule.metric === "rowCount" || spec.rule.metric === "duplicateValues") return `0 AS r${index}`;
    return `count(*) FILTER (WHERE ${failingCondition(spec, params)})::int AS r${index}`;
  });
  const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT count(*)::int AS total${columns.map((column) => `, ${column}`).join("")} FROM records WHERE product_id = $1::uuid`,
    ...params.values,
  );
  const total = row!.total as number;
  const rules = specs.map(({ rule }, index) => {
    const value = row![`r${index}`];
    if (rule.metric === "freshness") return { total, failing: 0, failingKeys: [], newest: value as Date | null };
    return { total, failing: value as number, failingKeys: [] };
  });
  return { total, rules };
}

/**
 * A duplicateValues rule in one statement: a grouped pass keeps the values
 * shared by several records (usually few or none) and counts their records;
 * only when there are some are up to MAX_FAILING_KEYS of their keys read, in key order.
 */
async function countDuplicates(tx: Tx, productId: string, { rule }: RuleSpec): Promise<{ failing: number; failingKeys: string[] }> {
  const field = rule.property ?? "";
  const [row] = await tx.$queryRaw<{ failing: number; keys: string[] }[]>`
    WITH shared AS MATERIALIZED (
      SELECT data->>${field} AS v, count(*) AS n FROM records
      WHERE product_id = ${productId}::uuid AND data->>${field} IS NOT NULL GROUP BY 1 HAVING count(*) > 1
    )
    SELECT (SELECT coalesce(sum(n), 0) FROM shared)::int AS failing,
           ARRAY(SELECT key FROM records
                 WHERE product_id = ${productId}::uuid AND EXISTS (SELECT FROM shared) AND data->>${field} IN (SELECT v FROM shared)
                 ORDER BY key LIMIT ${MAX_FAILING_KEYS}) AS keys`;
  return { failing: row!.failing, failingKeys: row!.keys };
}

/** Runs `work` in a savepoint: a statement the database refuses gives null and leaves the transaction usable. */
async function inSavepoint<T>(tx: Tx, work: () => Promise<T>): Promise<T | null> {
  await tx.$executeRawUnsafe("SAVEPOINT quality_rule");
  try {
    const result = await work();
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT quality_rule");
    return result;
  } catch (error) {
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT quality_rule");
    console.error("A quality rule could not be measured:", error);
    return null;
  }
}

/**
 * Counts what each rule needs, in order (with failing keys for duplicateValues
 * only: see failingKeys); the shared pass also gives the record count of the
 * uniqueness rules. A rule the database cannot run (a pattern Postgres reads
 * differently from JavaScript, a listed value that is no number of a number
 * field) gives null: when the shared pass fails, its rules are measured one
 * by one to find which.
 */
export async function measureRules(tx: Tx, productId: string, primaryKey: string, specs: RuleSpec[]): Promise<(RuleMeasurement | null)[]> {
  const measured = new Map<RuleSpec, RuleMeasurement | null>();
  const counted = specs.filter((spec) => !needsGrouping(spec, primaryKey));
  let pass = await inSavepoint(tx, () => countInOnePass(tx, productId, counted));
  if (pass) counted.forEach((spec, index) => measured.set(spec, pass!.rules[index]!));
  else {
    for (const spec of counted) measured.set(spec, (await inSavepoint(tx, () => countInOnePass(tx, productId, [spec])))?.rules[0] ?? null);
    pass = await countInOnePass(tx, productId, []);
  }
  for (const spec of specs.filter((candidate) => needsGrouping(candidate, primaryKey))) {
    const duplicates = await inSavepoint(tx, () => countDuplicates(tx, productId, spec));
    measured.set(spec, duplicates && { total: pass.total, ...duplicates });
  }
  return specs.map((spec) => measured.get(spec)!);
}

/** Up to MAX_FAILING_KEYS keys, in key order, of the records failing a nullValues or invalidValues rule. */
export async function failingKeys(tx: Tx, productId: string, spec: RuleSpec): Promise<string[]> {
  const params = new Params(productId);
  const rows = await tx.$queryRawUnsafe<{ key: string }[]>(
    `SELECT key FROM records WHERE product_id = $1::uuid AND ${failingCondition(spec, params)} ORDER BY key LIMIT ${MAX_FAILING_KEYS}`,
    ...params.values,
  );
  return rows.map((row) => row.key);
}
