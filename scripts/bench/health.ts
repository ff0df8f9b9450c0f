import { recordsAfter, writeRecords } from "../../lib/db/records";
import type { RecordData } from "../../lib/mesh/records";
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
 * (freshness and retention on its event-time field) and a quality rule of
 * each kind (not null, unique key, pattern, row count, allowed values, range, freshness),
 * through runHealthCheck: each run after one record was written, and after
 * 1,000 (only the changed records are counted, as they were and as they are);
 * after a rule was edited (every record is counted); after one record was
 * written with a uniqueness rule on a text field added (its grouped pass reads
 * every record); the same with no record written since the previous check
 * (what it counted is reused, as on the schedule or on demand); and the SLA
 * checks alone. Also how long the writes took.
 */
export async function healthSuite(ctx: SizeContext) {
  await ensureLoaded(ctx);
  const ref = { domain: ctx.product.domain, name: ctx.product.name };
  const stored = await getProduct(ctx.actor!, ref);
  const fields = stored.schema.fields;
  const key = stored.schema.primaryKey;
  const eventTime = fields.find((field) => field.type === "timestamp" || field.type === "date")?.name;
  const text = fields.find((field) => field.type === "string" && field.name !== key)!.name;
  const numeric = fields.find((field) => field.type === "integer" || field.type === "number")?.name;
  // An allowed-values rule on a string field with few values, listing those of the first records.
  const sample = (await recordsAfter(stored.id, { limit: 1000 })).records;
  const allowed = fields
    .filter((field) => field.type === "string" && field.name !== key)
    .map((field) => ({ field: field.name, values: [...new Set(sample.map((row) => row.data[field.name]).filter((v): v is string => typeof v === "string"))] }))
    .find(({ values }) => values.length > 0 && values.length <= 20);
  const rule = { unit: "rows", severity: "warning", rejectLoad: false } as const;
  const editStart = performance.now();
  const product = await editProduct(ctx.actor!, ref, {
    sla: { freshnessHours: 24, availabilityPercent: 99, latencyMsP95: 500, retentionDays: 365, updateFrequency: "daily", ...(eventTime ? { eventTimeField: eventTime } : {}) },
    quality: [
      { ...rule, id: "text-present", metric: "nullValues", property: text },
      { ...rule, id: "key-unique", metric: "duplicateValues", property: key, severity: "error" },
      { ...rule, id: "text-shape", metric: "invalidValues", property: text, arguments: { pattern: "^\\S" } },
      { ...rule, id: "enough-rows", metric: "rowCount", mustBeGreaterOrEqualTo: 1, severity: "error" },
      ...(allowed ? [{ ...rule, id: "allowed-values", metric: "invalidValues" as const, property: allowed.field, arguments: { validValues: allowed.values } }] : []),
      ...(numeric ? [{ ...rule, id: "in-range", metric: "invalidValues" as const, property: numeric, arguments: { minimum: 0, maximum: 1_000_000 } }] : []),
      ...(eventTime ? [{ ...rule, id: "fresh", metric: "freshness" as const, property: eventTime, mustBeLessOrEqualTo: 24 * 365 }] : []),
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
  const withTextUnique: Product = { ...product, quality: [...product.quality, textUnique] };
  let edits = 0;
  const writeTimes = new Map<number, number[]>();
  // `size` records of the sample written between runs, as a load would: the check after it counts them, as they were and are.
  const touch = async (size: number) => {
    const start = performance.now();
    edits++;
    await writeRecords(product.id, product.schema, async (upsert) => {
      await upsert(sample.slice(0, size).map((row) => ({ key: row.key, data: { ...(row.data as RecordData), [text]: `${row.data[text]} ${edits}` } })));
      return size;
    });
    writeTimes.set(size, [...(writeTimes.get(size) ?? []), performance.now() - start]);
  };
  // A rule edited between runs (its severity): nothing counted before is reused, every record is counted.
  const flipped = (checked: Product, run: number): Product => ({
    ...checked,
    quality: checked.quality.map((rule, index) => (index === 0 ? { ...rule, severity: run % 2 ? "error" : "warning" } : rule)),
  });
  const rules = `all SLA checks + ${product.quality.length} quality rules`;
  const variants: [string, Product, { write?: number; flip?: boolean }][] = [
    [`Health check after a record changed (${rules}; the changed record counted)`, product, { write: 1 }],
    [`Health check after 1,000 records changed (${rules}; the changed records counted)`, product, { write: 1000 }],
    [`Health check after a rule changed (${rules}; every record counted)`, product, { flip: true }],
    ["Health check after a record changed (… + uniqueness on a non-key field, every record grouped)", withTextUnique, { write: 1 }],
    ["Health check, records unchanged since the last check (… + uniqueness on a non-key field)", withTextUnique, {}],
    ["Health check (SLA checks only)", { ...product, quality: [] }, {}],
  ];
  for (const [metric, checked, { write, flip }] of variants) {
    const times: number[] = [];
    let status = "";
    await runHealthCheck(checked, "manual");
    for (let run = 0; run < RUNS; run++) {
      if (write) await touch(write);
      const start = performance.now();
      status = (await runHealthCheck(flip ? flipped(checked, run) : checked, "manual")).status;
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
  for (const [size, times] of writeTimes) {
    const summary = summarize(times);
    record(ctx, {
      suite: "health",
      metric: `Writing ${count(size)} changed record${size === 1 ? "" : "s"} (one transaction, their changes logged for the check)`,
      value: `p50 ${fmt(summary.p50)} ms, p95 ${fmt(summary.p95)} ms`,
      note: `${times.length} writes into ${count(ctx.size)} records`,
      data: { ...summary, runs: times.length, records: size },
    });
  }
}
