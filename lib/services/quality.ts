import { failingKeys, forgetChanges, measureRules, type RuleSpec } from "../db/quality";
import type { QualityMeasured } from "../db/health";
import type { Prisma } from "../db/generated/client";
import { evaluateRule, MAX_FAILING_KEYS, ruleMessage, type QualityResult, type RuleMeasurement } from "../mesh/quality";
import type { FieldProblem, RefusingRule } from "../mesh/load-report";
import type { Product } from "../validation/product";

/** Data-quality rules: evaluated with every health check, and those that may reject a load, in the load. */

type Tx = Prisma.TransactionClient;

/**
 * What every rule of `product` needs, counted in `tx`: counted together (one
 * pass over the records, and one per uniqueness rule off the primary key),
 * then the keys of failing records read for the other rules that fail and
 * whose first keys are not known. `previous` is returned as it is when it
 * counted the same rules at records version `version`: nothing it counted can
 * differ; when it counted them at an earlier version, only the records changed
 * since are counted. The changes counted are then forgotten: pass `forget:
 * false` for a measurement that is not stored.
 */
export async function measureQuality(
  tx: Tx,
  product: Pick<Product, "id" | "schema" | "quality">,
  version: string,
  previous: QualityMeasured | null,
  { forget = true }: { forget?: boolean } = {},
): Promise<QualityMeasured> {
  const types = new Map(product.schema.fields.map((field) => [field.name, field.type]));
  const specs: RuleSpec[] = product.quality.map((rule) => ({ rule, type: rule.property ? types.get(rule.property) : undefined }));
  const rules = JSON.stringify({ primaryKey: product.schema.primaryKey, specs });
  if (previous?.version === version && previous.rules === rules) return previous;
  const complete = previous?.rules === rules && previous.version !== "" && previous.measurements.every((measurement) => measurement !== null);
  const counted =
    specs.length === 0
      ? { version, measurements: [] }
      : await measureRules(tx, product.id, product.schema.primaryKey, specs, complete ? (previous as { version: string; measurements: RuleMeasurement[] }) : null);
  const { measurements } = counted;
  for (const [index, spec] of specs.entries()) {
    const measurement = measurements[index];
    // Whether a row-level rule passes does not depend on the time: these keys hold as long as the records do.
    if (
      measurement &&
      measurement.failingKeys.length < Math.min(measurement.failing, MAX_FAILING_KEYS) &&
      evaluateRule(spec.rule, measurement, new Date()).status === "failed"
    ) {
      measurements[index] = { ...measurement, failingKeys: await failingKeys(tx, product.id, spec) };
    }
  }
  if (forget) await forgetChanges(tx, product.id, counted.version);
  return { version: counted.version, rules, measurements };
}

/** The result of every rule of `product` at `now` from what was counted. */
export function qualityResults(product: Pick<Product, "quality">, { measurements }: QualityMeasured, now: Date): QualityResult[] {
  return product.quality.map((rule, index) => evaluateRule(rule, measurements[index] ?? null, now));
}

/** Why a load was refused: the error rules that failed, and the rows of the load failing them. */
export interface LoadRefusal {
  rules: RefusingRule[];
  rows: { index: number; key: string; errors: FieldProblem[] }[];
}

/** Thrown inside the load's transaction, so that nothing of the load is stored. */
export class LoadRefused extends Error {
  constructor(readonly refusal: LoadRefusal) {
    super(`The load breaks the quality rule${refusal.rules.length > 1 ? "s" : ""} ${refusal.rules.map((rule) => rule.rule).join(", ")}`);
  }
}

/**
 * Runs the product's error rules that reject loads, in the load's
 * transaction after its rows are written; throws LoadRefused when one fails.
 * `indexOf` maps the keys of this load to their row numbers: failing records
 * of this load are reported like schema errors.
 */
export async function enforceLoadRules(tx: Tx, product: Pick<Product, "id" | "schema" | "quality">, indexOf: Map<string, number>): Promise<void> {
  const gate = product.quality.filter((rule) => rule.severity === "error" && rule.rejectLoad);
  if (gate.length === 0) return;
  const checked = { ...product, quality: gate };
  const results = qualityResults(checked, await measureQuality(tx, checked, "", null, { forget: false }), new Date());
  const failed = results.filter((result) => result.status === "failed");
  if (failed.length === 0) return;
  const rows = new Map<string, LoadRefusal["rows"][number]>();
  for (const result of failed) {
    const rule = gate.find((candidate) => candidate.id === result.rule)!;
    for (const key of result.failingKeys) {
      const index = indexOf.get(key);
      if (index === undefined) continue;
      const row = rows.get(key) ?? { index, key, errors: [] };
      row.errors.push({ field: rule.property ?? "(record)", message: ruleMessage(rule) });
      rows.set(key, row);
    }
  }
  throw new LoadRefused({
    rules: failed.map(({ rule, failing, expected, value }) => ({ rule, failing, expected, value })),
    rows: [...rows.values()].sort((a, b) => a.index - b.index),
  });
}
