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
 * rules that fail. When a previous check counted the same rules, only the
 * records changed since (record_changes, logged by triggers) are counted, as
 * they were and as they are, and the counts moved by the difference.
 * Field names, values and patterns are always bound parameters.
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

/** The records version, read in the statement that counts: the counts are those of that version. */
const VERSION = "(SELECT records_version::text FROM products WHERE id = $1::uuid)";

/** What one statement counted, at which records version. */
interface Pass {
  version: string;
  total: number;
  rules: RuleMeasurement[];
}

/**
 * One pass: the record count, and per rule its failing records (nullValues,
 * invalidValues) or newest value (freshness); rowCount and duplicateValues
 * on the primary key need only the count.
 */
async function countInOnePass(tx: Tx, productId: string, specs: RuleSpec[]): Promise<Pass> {
  const params = new Params(productId);
  const columns = specs.map((spec, index) => {
    if (spec.rule.metric === "freshness") return `${newestValue(params.bind(spec.rule.property ?? "", "text"))} AS r${index}`;
    if (spec.rule.metric === "rowCount" || spec.rule.metric === "duplicateValues") return `0 AS r${index}`;
    return `count(*) FILTER (WHERE ${failingCondition(spec, params)})::int AS r${index}`;
  });
  const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT ${VERSION} AS version, count(*)::int AS total${columns.map((column) => `, ${column}`).join("")} FROM records WHERE product_id = $1::uuid`,
    ...params.values,
  );
  const total = row!.total as number;
  const rules = specs.map(({ rule }, index) => {
    const value = row![`r${index}`];
    if (rule.metric === "freshness") return { total, failing: 0, failingKeys: [], newest: value as Date | null };
    return { total, failing: value as number, failingKeys: [] };
  });
  return { version: row!.version as string, total, rules };
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
 * The counts of `previous` (the same rules, at records version `since`) moved
 * by the records changed since: each changed record is counted as it was
 * (its data logged in record_changes before its first change since `since`;
 * none if it did not exist) and as it is now (none if it was removed). A
 * freshness rule's newest value is the newer of the old one and the changed
 * records', unless a changed record held the old one: then it is read again.
 * The failing keys kept are those still known to be the first in key order:
 * the previous ones whose records did not change, with the changed records
 * that fail now, up to the last key of either list that was cut short.
 */
async function countChanged(tx: Tx, productId: string, specs: RuleSpec[], previous: RuleMeasurement[], since: string): Promise<Pass> {
  const params = new Params(productId);
  const after = params.bind(since, "bigint");
  const before: string[] = [];
  const now: string[] = [];
  const columns = specs.map((spec, index) => {
    const old = previous[index]!;
    if (spec.rule.metric === "freshness") {
      const field = params.bind(spec.rule.property ?? "", "text");
      const value = `(data->>${field})::timestamptz`;
      before.push(`max(${value}) AS m${index}`);
      now.push(`max(${value}) AS m${index}`);
      const newest = params.bind(old.newest ? old.newest.toISOString() : null, "timestamptz");
      return `CASE WHEN (SELECT sla->>'eventTimeField' FROM products WHERE id = $1::uuid) = ${field} THEN (SELECT max(event_at) FROM records WHERE product_id = $1::uuid)
        WHEN b.m${index} >= ${newest} THEN (SELECT max(${value}) FROM records WHERE product_id = $1::uuid)
        ELSE greatest(${newest}, a.m${index}) END AS r${index}`;
    }
    if (spec.rule.metric === "rowCount" || spec.rule.metric === "duplicateValues") return `0 AS r${index}`;
    const condition = failingCondition(spec, params);
    before.push(`count(*) FILTER (WHERE ${condition})::int AS f${index}`);
    now.push(`count(*) FILTER (WHERE ${condition})::int AS f${index}`, `(array_agg(key ORDER BY key) FILTER (WHERE ${condition}))[1:${MAX_FAILING_KEYS}] AS k${index}`);
    const kept = params.bind(old.failingKeys, "text[]");
    // Where the previous list was cut short, keys after its last one are not known.
    const known = params.bind(old.failingKeys.length < old.failing ? (old.failingKeys.at(-1) ?? null) : null, "text");
    const last = `least(${known}, CASE WHEN a.f${index} > cardinality(a.k${index}) THEN a.k${index}[cardinality(a.k${index})] END)`;
    return `a.f${index} - b.f${index} AS r${index},
      ARRAY(SELECT k FROM (SELECT unnest(${kept}) AS k EXCEPT SELECT key FROM changed UNION SELECT unnest(a.k${index})) merged
            WHERE ${last} IS NULL OR k <= ${last} ORDER BY k LIMIT ${MAX_FAILING_KEYS}) AS k${index}`;
  });
  const [row] = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
    `WITH v AS (SELECT ${VERSION}::bigint AS version),
     changed AS MATERIALIZED (
       SELECT DISTINCT ON (key) key, prior FROM record_changes
       WHERE product_id = $1::uuid AND version > ${after} AND version <= (SELECT version FROM v)
       ORDER BY key, version),
     b AS (SELECT count(*)::int AS n${before.map((column) => `, ${column}`).join("")}
           FROM (SELECT key, prior AS data FROM changed WHERE prior IS NOT NULL) was),
     a AS (SELECT count(*)::int AS n${now.map((column) => `, ${column}`).join("")}
           FROM (SELECT r.key, r.data FROM changed c JOIN records r ON r.product_id = $1::uuid AND r.key = c.key) is_now)
     SELECT (SELECT version FROM v)::text AS version, a.n - b.n AS moved${columns.map((column) => `, ${column}`).join("")} FROM b, a`,
    ...params.values,
  );
  const total = (previous[0]?.total ?? 0) + (row!.moved as number);
  const rules = specs.map(({ rule }, index) => {
    const value = row![`r${index}`];
    if (rule.metric === "freshness") return { total, failing: 0, failingKeys: [], newest: value as Date | null };
    if (rule.metric === "rowCount" || rule.metric === "duplicateValues") return { total, failing: 0, failingKeys: [] };
    const old = previous[index]!;
    // Without any previous key of a failing rule (one that passed keeps none), none of the first is known.
    const unknown = old.failingKeys.length === 0 && old.failing > 0;
    return { total, failing: old.failing + (value as number), failingKeys: unknown ? [] : (row![`k${index}`] as string[]) };
  });
  return { version: row!.version as string, total, rules };
}

/** How many records changed since records version `since` (entries of record_changes). */
async function changeCount(tx: Tx, productId: string, since: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ changes: number }[]>`
    SELECT count(*)::int AS changes FROM record_changes WHERE product_id = ${productId}::uuid AND version > ${since}::bigint`;
  return row!.changes;
}

/** Forgets the changes of records up to records version `version`: they are counted. */
export async function forgetChanges(tx: Tx, productId: string, version: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM record_changes WHERE product_id = ${productId}::uuid AND version <= ${version}::bigint`;
}

/** What the rules of a product counted at a records version (null for a rule the database could not run). */
export interface Counted {
  version: string;
  measurements: (RuleMeasurement | null)[];
}

/**
 * Counts what each rule needs, in order, and at which records version (with
 * failing keys for duplicateValues, and those `previous` kept: see
 * failingKeys); the shared pass also gives the record count of the
 * uniqueness rules. With `previous`, what the same rules counted at an
 * earlier version, only the records changed since are counted, unless they
 * are more than half of the records: then every record is, as without it. A
 * rule the database cannot run (a pattern Postgres reads differently from
 * JavaScript, a listed value that is no number of a number field) gives null:
 * when the shared pass fails, its rules are measured one by one to find which.
 * Uniqueness on a field other than the key is counted over every record.
 */
export async function measureRules(
  tx: Tx,
  productId: string,
  primaryKey: string,
  specs: RuleSpec[],
  previous: { version: string; measurements: RuleMeasurement[] } | null = null,
): Promise<Counted> {
  const measured = new Map<RuleSpec, RuleMeasurement | null>();
  const indexes = specs.flatMap((spec, index) => (needsGrouping(spec, primaryKey) ? [] : [index]));
  const counted = indexes.map((index) => specs[index]!);
  const total = previous?.measurements[0]?.total ?? 0;
  const incremental = previous && (await changeCount(tx, productId, previous.version)) * 2 <= total;
  let pass = incremental
    ? await inSavepoint(tx, () => countChanged(tx, productId, counted, indexes.map((index) => previous.measurements[index]!), previous.version))
    : null;
  pass ??= await inSavepoint(tx, () => countInOnePass(tx, productId, counted));
  if (pass) counted.forEach((spec, index) => measured.set(spec, pass!.rules[index]!));
  else {
    for (const spec of counted) measured.set(spec, (await inSavepoint(tx, () => countInOnePass(tx, productId, [spec])))?.rules[0] ?? null);
    pass = await countInOnePass(tx, productId, []);
  }
  for (const spec of specs.filter((candidate) => needsGrouping(candidate, primaryKey))) {
    const duplicates = await inSavepoint(tx, () => countDuplicates(tx, productId, spec));
    measured.set(spec, duplicates && { total: pass.total, ...duplicates });
  }
  return { version: pass.version, measurements: specs.map((spec) => measured.get(spec)!) };
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
