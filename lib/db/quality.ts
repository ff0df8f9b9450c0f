import "server-only";
import { MAX_FAILING_KEYS, type RuleMeasurement } from "../mesh/quality";
import type { FieldType } from "../validation/product";
import type { QualityRule } from "../validation/quality";
import type { Prisma } from "./generated/client";

/**
 * Data-quality rules measured in SQL over a product's records, one pass per
 * rule. Field names, values and patterns are always bound parameters.
 */

type Tx = Prisma.TransactionClient;

const NUMERIC = new Set<FieldType>(["integer", "number"]);
const TEMPORAL = new Set<FieldType>(["date", "timestamp"]);

/** The field's value in SQL, typed for comparisons ($2 is the field name). */
function typedValue(type: FieldType): string {
  if (NUMERIC.has(type)) return "(data->>$2)::numeric";
  if (TEMPORAL.has(type)) return "(data->>$2)::timestamptz";
  return "(data->>$2)";
}

/** The SQL condition of a record failing a row-level rule, with its parameters from $3 on. */
function failingCondition(rule: QualityRule, type: FieldType): { sql: string; params: unknown[] } {
  const value = typedValue(type);
  if (rule.metric === "nullValues") return { sql: "data->>$2 IS NULL", params: [] };
  const params: unknown[] = [];
  const bind = (param: unknown, cast: string) => {
    params.push(param);
    return `$${params.length + 2}::${cast}`;
  };
  const cast = NUMERIC.has(type) ? "numeric" : TEMPORAL.has(type) ? "timestamptz" : "text";
  const { validValues, pattern, minimum, maximum } = rule.arguments ?? {};
  const bad: string[] = [];
  if (validValues) bad.push(`NOT (${value} = ANY(${bind(validValues.map(String), `${cast}[]`)}))`);
  if (pattern) bad.push(`NOT ((data->>$2) ~ ${bind(pattern, "text")})`);
  if (minimum !== undefined) bad.push(`${value} < ${bind(String(minimum), cast)}`);
  if (maximum !== undefined) bad.push(`${value} > ${bind(String(maximum), cast)}`);
  return { sql: `data->>$2 IS NOT NULL AND (${bad.join(" OR ") || "false"})`, params };
}

/** Counts what `rule` needs over the product's records. `type` is the type of its property. */
async function measureRule(tx: Tx, productId: string, rule: QualityRule, type: FieldType | undefined): Promise<RuleMeasurement> {
  const property = rule.property ?? "";
  if (rule.metric === "rowCount") {
    const [row] = await tx.$queryRawUnsafe<{ total: number }[]>(`SELECT count(*)::int AS total FROM records WHERE product_id = $1::uuid`, productId);
    return { total: row!.total, failing: 0, failingKeys: [] };
  }
  if (rule.metric === "freshness") {
    const [row] = await tx.$queryRawUnsafe<{ total: number; newest: Date | null }[]>(
      `SELECT count(*)::int AS total, max((data->>$2)::timestamptz) AS newest FROM records WHERE product_id = $1::uuid`,
      productId,
      property,
    );
    return { total: row!.total, failing: 0, failingKeys: [], newest: row!.newest };
  }
  if (rule.metric === "duplicateValues") {
    const [row] = await tx.$queryRawUnsafe<{ total: number; failing: number; keys: string[] | null }[]>(
      `SELECT (SELECT count(*)::int FROM records WHERE product_id = $1::uuid) AS total,
              count(*) FILTER (WHERE n > 1)::int AS failing,
              (array_agg(key ORDER BY key) FILTER (WHERE n > 1))[1:${MAX_FAILING_KEYS}] AS keys
       FROM (SELECT key, count(*) OVER (PARTITION BY data->>$2) AS n
             FROM records WHERE product_id = $1::uuid AND data->>$2 IS NOT NULL) t`,
      productId,
      property,
    );
    return { total: row!.total, failing: row!.failing, failingKeys: row!.keys ?? [] };
  }
  const condition = failingCondition(rule, type ?? "string");
  const [row] = await tx.$queryRawUnsafe<{ total: number; failing: number; keys: string[] | null }[]>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE ${condition.sql})::int AS failing,
            (array_agg(key ORDER BY key) FILTER (WHERE ${condition.sql}))[1:${MAX_FAILING_KEYS}] AS keys
     FROM records WHERE product_id = $1::uuid`,
    productId,
    property,
    ...condition.params,
  );
  return { total: row!.total, failing: row!.failing, failingKeys: row!.keys ?? [] };
}

/**
 * measureRule inside a savepoint: a rule the database cannot run (a pattern
 * Postgres reads differently from JavaScript, say) gives null and leaves the
 * transaction usable for the other rules.
 */
export async function tryMeasureRule(tx: Tx, productId: string, rule: QualityRule, type: FieldType | undefined): Promise<RuleMeasurement | null> {
  await tx.$executeRawUnsafe("SAVEPOINT quality_rule");
  try {
    const measurement = await measureRule(tx, productId, rule, type);
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT quality_rule");
    return measurement;
  } catch (error) {
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT quality_rule");
    console.error(`Quality rule ${rule.id} could not be measured:`, error);
    return null;
  }
}
