import { getProduct } from "../../lib/db/products";
import { executePlan } from "../../lib/db/query-plan";
import { recordColumns } from "../../lib/db/record-columns";
import { currentCatalog, heldCatalog, refreshValueCatalog } from "../../lib/db/value-catalog";
import type { ValueCatalog } from "../../lib/mesh/plan/catalog";
import { planQuestion } from "../../lib/mesh/plan/planner";
import { record, type SizeContext } from "./context";
import { count, fmt, queryCount, seconds, WARMUP } from "./settings";
import { summarize } from "./stats";
import { ensureLoaded } from "./steps";

/**
 * Questions an analyst could ask of any product, written from its value catalog: counts by a
 * categorical value, averages and extremes of its numbers, filtered lists with a threshold.
 */
function catalogQuestions(title: string, catalog: ValueCatalog): string[] {
  const categorical = catalog.fields.filter((field) => field.values?.length).slice(0, 3);
  const numeric = catalog.fields.filter((field) => (field.type === "integer" || field.type === "number") && typeof field.min === "number");
  const words = (name: string) => name.replace(/_/g, " ");
  const questions: string[] = [];
  for (const field of categorical) {
    for (const { value } of field.values!.slice(0, 3)) {
      questions.push(`How many ${title} have ${words(field.name)} ${value}?`);
      for (const number of numeric.slice(0, 2)) {
        const middle = Math.round(((number.min as number) + (number.max as number)) / 2);
        questions.push(`What is the average ${words(number.name)} of the ${title} with ${words(field.name)} ${value}?`);
        questions.push(`Which ${title} with ${words(field.name)} ${value} have ${words(number.name)} under ${middle}?`);
      }
    }
  }
  for (const number of numeric) questions.push(`Which ${title} record has the highest ${words(number.name)}?`);
  return questions;
}

/**
 * The answer engine on the product's records without embeddings: the value catalog build after
 * the load and its read, the record columns' read, then the planner and the planner + executor
 * over questions written from the catalog.
 */
export async function answersSuite(ctx: SizeContext) {
  const suite = "answers";
  const { productId } = await ensureLoaded(ctx);
  const product = await getProduct(ctx.product.domain, ctx.product.name);
  let start = performance.now();
  const catalog = await refreshValueCatalog(productId, product.schema);
  record(ctx, {
    suite,
    metric: "Value catalog build (after a load)",
    value: `${fmt(seconds(start) * 1000, 0)} ms`,
    note: `${count(ctx.size)} records, ${catalog.fields.length} fields; the app rebuilds it on the first question after each load`,
    data: { seconds: seconds(start) },
  });
  await currentCatalog(productId, product.schema);
  start = performance.now();
  for (let i = 0; i < 20; i++) await currentCatalog(productId, product.schema);
  const read = (performance.now() - start) / 20;
  record(ctx, {
    suite,
    metric: "Value catalog read, checked (currentCatalog)",
    value: `${fmt(read)} ms`,
    note: "mean of 20; one query for the product's stamp, the catalog from memory; a question plans with the held catalog and the executor checks the stamp",
    data: { ms: read },
  });

  start = performance.now();
  const columns = await recordColumns(productId, product.schema);
  record(ctx, {
    suite,
    metric: "Record columns read (after a load)",
    value: `${fmt(seconds(start) * 1000, 0)} ms`,
    note: columns ? `${columns.columns.size} fields as columns; once per records version, then from memory` : "beyond the cell budget: answered in SQL",
    data: { seconds: seconds(start), fields: columns?.columns.size ?? 0 },
  });

  const own = catalogQuestions(product.title, catalog);
  if (own.length === 0) throw new Error(`${ctx.product.domain}/${ctx.product.name} has no categorical or number fields to ask about`);
  const questions = Array.from({ length: queryCount }, (_, i) => own[i % own.length]!);
  const planTimes: number[] = [];
  const totalTimes: number[] = [];
  const operations = new Map<string, number>();
  for (const question of questions.slice(0, WARMUP)) await executePlan(productId, planQuestion(question, product, catalog).plan, product.schema);
  // As the answer engine asks (lib/search/answers.ts): planned with the held catalog, whose stamp the executor's statement checks.
  for (const question of questions) {
    const begin = performance.now();
    const { catalog: held, stamp } = await heldCatalog(productId, product.schema);
    const { plan } = planQuestion(question, product, held);
    planTimes.push(performance.now() - begin);
    await executePlan(productId, plan, product.schema, undefined, { stamp });
    totalTimes.push(performance.now() - begin);
    operations.set(plan.operation, (operations.get(plan.operation) ?? 0) + 1);
  }
  const planned = summarize(planTimes);
  const total = summarize(totalTimes);
  const mix = [...operations].map(([operation, n]) => `${operation} ${n}`).join(", ");
  record(ctx, {
    suite,
    metric: "Held catalog + planner (planQuestion)",
    value: `${fmt(planned.p50, 2)} / ${fmt(planned.p95, 2)} ms`,
    note: `p50 / p95 of ${planned.count}; ${own.length} distinct questions`,
    data: { ...planned },
  });
  record(ctx, {
    suite,
    metric: "Catalog + planner + executor (one product)",
    value: `${fmt(total.p50)} / ${fmt(total.p95)} ms`,
    note: `p50 / p95 of ${total.count} questions (${mix}); target p95 ≤ 50 ms; no semantic ranking (records without embeddings)`,
    data: { ...total, operations: Object.fromEntries(operations) },
  });
}
