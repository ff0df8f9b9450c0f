import { editProduct, getProduct } from "../../lib/services/products";
import { runHealthCheck } from "../../lib/services/health";
import type { Product } from "../../lib/validation/product";
import { record, type SizeContext } from "./context";
import { count, fmt, log } from "./settings";
import { summarize } from "./stats";
import { ensureLoaded } from "./steps";

const RUNS = 20;

/**
 * Health of the product holding all the size's records: every SLA check
 * (freshness and retention on its event-time field) and four quality rules,
 * through runHealthCheck, as after a load or on the schedule; again with the
 * uniqueness rule on a text field instead of the primary key; and the SLA
 * checks alone.
 */
export async function healthSuite(ctx: SizeContext) {
  await ensureLoaded(ctx);
  const ref = { domain: ctx.product.domain, name: ctx.product.name };
  const fields = (await getProduct(ctx.actor!, ref)).schema.fields;
  const eventTime = fields.find((field) => field.type === "timestamp" || field.type === "date")?.name;
  const text = fields.find((field) => field.type === "string" && field.name !== ctx.product.schema.primaryKey)!.name;
  const editStart = performance.now();
  const product = await editProduct(ctx.actor!, ref, {
    sla: { freshnessHours: 24, availabilityPercent: 99, latencyMsP95: 500, retentionDays: 365, updateFrequency: "daily", ...(eventTime ? { eventTimeField: eventTime } : {}) },
    quality: [
      { id: "text-present", metric: "nullValues", property: text, unit: "rows", severity: "warning", rejectLoad: false },
      { id: "key-unique", metric: "duplicateValues", property: ctx.product.schema.primaryKey, unit: "rows", severity: "error", rejectLoad: false },
      { id: "text-shape", metric: "invalidValues", property: text, arguments: { pattern: "^\\S" }, unit: "rows", severity: "warning", rejectLoad: false },
      { id: "enough-rows", metric: "rowCount", mustBeGreaterOrEqualTo: 1, unit: "rows", severity: "error", rejectLoad: false },
    ],
  });
  const editMs = performance.now() - editStart;
  record(ctx, {
    suite: "health",
    metric: "Naming the event-time field and the rules (product edit)",
    value: `${fmt(editMs)} ms`,
    note: `sets the event time of all ${count(ctx.size)} records, in the edit's transaction`,
    data: { ms: editMs, records: ctx.size },
  });
  log(`health checks: ${RUNS} runs each, event time ${eventTime ?? "none (last load)"}`);
  // Uniqueness of the primary key needs no pass (records are stored by key); of another field it groups the records.
  const keyUnique = product.quality.find((rule) => rule.id === "key-unique")!;
  const textUnique = { ...keyUnique, id: "text-unique", property: text };
  const variants: [string, Product][] = [
    ["Health check (all SLA checks + 4 quality rules)", product],
    ["Health check (… uniqueness on a non-key field instead)", { ...product, quality: product.quality.map((rule) => (rule === keyUnique ? textUnique : rule)) }],
    ["Health check (SLA checks only)", { ...product, quality: [] }],
  ];
  for (const [metric, checked] of variants) {
    const times: number[] = [];
    let status = "";
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      status = (await runHealthCheck(checked, "manual")).status;
      times.push(performance.now() - start);
    }
    const summary = summarize(times);
    record(ctx, {
      suite: "health",
      metric,
      value: `p50 ${fmt(summary.p50)} ms, p95 ${fmt(summary.p95)} ms`,
      note: `${count(ctx.size)} records, ${RUNS} runs, health ${status}; target ≤ 200 ms`,
      data: { ...summary, runs: RUNS, records: ctx.size, status },
    });
  }
}
