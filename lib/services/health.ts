import { requireDomainWriter, requireRead, type Actor } from "../auth/guard";
import { getProduct, getProductId, productsByIds } from "../db/products";
import type { Written } from "../db/records";
import {
  claimDueProducts,
  expiredRecords,
  findHealth,
  healthRunsBetween,
  loadsBetween,
  requestsPerDay,
  insertLoad,
  measure,
  previousCheck,
  purgeRecords,
  pruneRequests,
  recordsVersion,
  saveHealth,
  withProductLock,
  type HealthTrigger,
  type RequestKind,
} from "../db/health";
import { env } from "../env";
import { AppError } from "../errors";
import { healthStatus, REQUEST_WINDOW_HOURS, slaChecks, type Health } from "../mesh/health";
import { healthEvents } from "../mesh/events";
import { unitOf } from "../mesh/quality";
import { healthHistory, type HealthHistory } from "../mesh/health-history";
import type { ProductContext } from "../http";
import type { ProductRef } from "../paths";
import { logRequest } from "../runtime/request-log";
import { deliverSoon, raiseEvents } from "./events";
import { measureQuality, qualityResults } from "./quality";
import { recordsChanged } from "../search/indexer";
import type { HistoryQuery, PurgeInput, PurgeResult } from "../validation/health";
import type { Product } from "../validation/product";
import { canReadProductRecords } from "./access";

/**
 * Measured service levels and product health: checks run after every load,
 * on demand by the product's owners, and on a schedule; each run is stored
 * (current health and history). `now` is injectable everywhere (tests).
 */

export type { Health, HealthHistory };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The request log keeps this many days: the history chart's longest window. */
export const REQUEST_LOG_DAYS = 90;
const PURGE_SAMPLE = 20;

type Clock = { now?: Date };

/**
 * Runs every check of `product` at `now` and stores the result, with the
 * events it raises against the previous run (an SLA breached or recovered, a
 * quality rule failed); checks of one product never overlap.
 */
export async function runHealthCheck(product: Product, trigger: HealthTrigger, { now = new Date() }: Clock = {}): Promise<Health> {
  const { health, deliveries } = await withProductLock(product.id, async (tx) => {
    const { health: previous, qualityMeasured: counted } = await previousCheck(tx, product.id);
    // Read before the records are: a load committing meanwhile leaves a newer version, measured next time.
    const version = await recordsVersion(tx, product.id);
    const measured = await measure(tx, product, { now, windowStart: new Date(now.getTime() - REQUEST_WINDOW_HOURS * HOUR_MS) });
    const sla = slaChecks(measured, previous?.sla);
    const qualityMeasured = await measureQuality(tx, product, version, counted);
    const quality = qualityResults(product, qualityMeasured, now);
    const health: Health = { status: healthStatus(sla, quality), checkedAt: now.toISOString(), sla, quality };
    await saveHealth(tx, product.id, { health, qualityMeasured, trigger, nextCheckAt: nextCheckAt(now) });
    return { health, deliveries: await raiseEvents(tx, product, healthEvents(previous, health, now)) };
  });
  deliverSoon(deliveries, now);
  return health;
}

const nextCheckAt = (now: Date) => new Date(now.getTime() + Math.max(1, env().HEALTH_CHECK_INTERVAL_MINUTES) * 60_000);

/**
 * The product's latest health; checked now if it never was. The keys of failing records are
 * record data: a reader who may not read a restricted product's records gets the counts only.
 * A product already looked up (the product page) is not looked up again.
 */
export async function productHealth(reader: Actor | null, ref: ProductRef | Product, clock: Clock = {}): Promise<Health> {
  requireRead(reader);
  const product = "id" in ref ? ref : await getProduct(ref.domain, ref.name);
  const stored = (await findHealth(null, product.id)) ?? (await runHealthCheck(product, "schedule", clock));
  // A result stored before results had units takes its rule's.
  const rules = new Map(product.quality.map((rule) => [rule.id, rule]));
  const health = { ...stored, quality: stored.quality.map((result) => ({ ...result, unit: result.unit ?? unitOf(rules.get(result.rule) ?? { metric: result.metric }) })) };
  if (await canReadProductRecords(reader, product)) return health;
  return { ...health, quality: health.quality.map((result) => ({ ...result, failingKeys: [] })) };
}

/** Compliance over the last `days` days (UTC), today included: per day, and per load. */
export async function productHealthHistory(reader: Actor | null, ref: ProductRef, { days }: HistoryQuery, { now = new Date() }: Clock = {}): Promise<HealthHistory> {
  requireRead(reader);
  const productId = await getProductId(ref.domain, ref.name);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (days - 1) * DAY_MS);
  const [runs, loads, requests] = await Promise.all([
    healthRunsBetween(productId, from, now),
    loadsBetween(productId, from, now),
    requestsPerDay(productId, from, now),
  ]);
  return healthHistory(from, now, runs, loads, requests);
}

/** Runs the checks now (the product's owners and admins). */
export async function checkHealthNow(actor: Actor, { domain, name }: ProductRef, clock: Clock = {}): Promise<Health> {
  requireDomainWriter(actor, domain);
  return runHealthCheck(await getProduct(domain, name), "manual", clock);
}

/**
 * After a load: logs it (the rows it brought, what it added and changed) and
 * runs the checks. Never fails the load, which has already committed.
 */
export async function afterLoad(productId: string, report: { accepted: number; rejectedTotal: number }, { added, changed }: Written, clock: Clock = {}) {
  try {
    const at = clock.now ?? new Date();
    const outcome = report.accepted === 0 && report.rejectedTotal > 0 ? "rejected" : "loaded";
    await insertLoad(productId, { at, rows: report.accepted, added, changed, rejected: report.rejectedTotal, outcome });
    const [product] = await productsByIds([productId]);
    if (product) await runHealthCheck(product, "load", { now: at });
  } catch (error) {
    console.error("Could not check health after a load:", error);
  }
}

/** After an edit of the product's SLA, rules or schema: runs the checks. Never fails the edit, which has already committed. */
export async function checkAfterEdit(product: Product): Promise<void> {
  try {
    await runHealthCheck(product, "manual");
  } catch (error) {
    console.error("Could not check health after an edit:", error);
  }
}

/**
 * One scheduled round: claims the products due at `now` (each goes to one
 * server) and checks them, and prunes the request log.
 */
export async function runDueChecks({ now = new Date(), limit = 50 }: Clock & { limit?: number } = {}): Promise<number> {
  const ids = await claimDueProducts(now, nextCheckAt(now), limit);
  for (const product of await productsByIds(ids)) await runHealthCheck(product, "schedule", { now });
  await pruneRequests(new Date(now.getTime() - REQUEST_LOG_DAYS * DAY_MS));
  return ids.length;
}

/**
 * Wraps a product route handler so that its outcome and duration go to the
 * request log (availability and latency are measured on it). A 5xx is a
 * failed request; a 4xx (bad input, no right, no such record) is the
 * caller's and is not logged: it would count as served and its quick refusal
 * would lower the latency of the queries the product answered.
 */
export function measured<C extends ProductContext>(kind: RequestKind, handler: (request: Request, context: C) => Promise<Response>) {
  return async (request: Request, context: C): Promise<Response> => {
    const started = performance.now();
    const response = await handler(request, context);
    if (response.status >= 400 && response.status < 500) return response;
    const { domain, name } = await context.params;
    logRequest({ domain, name, kind, ok: response.status < 500, durationMs: performance.now() - started, at: new Date() });
    return response;
  };
}

/**
 * Records older than retentionDays by event time: a dry run counts them and
 * lists a sample; otherwise they are removed, audited (owners and admins).
 */
export async function purgeExpired(actor: Actor, { domain, name }: ProductRef, { dryRun }: PurgeInput, { now = new Date() }: Clock = {}): Promise<PurgeResult> {
  requireDomainWriter(actor, domain);
  const product = await getProduct(domain, name);
  const { eventTimeField: field, retentionDays } = product.sla;
  if (!field || retentionDays === undefined) {
    throw new AppError("conflict", "Purging needs both sla.retentionDays and sla.eventTimeField: records expire by their event time");
  }
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const { count, sample } = await expiredRecords(product.id, cutoff, PURGE_SAMPLE);
  const removed = dryRun || count === 0 ? 0 : await purgeRecords(product, cutoff, actor);
  if (removed > 0) {
    await recordsChanged(product.id);
    await runHealthCheck(await getProduct(domain, name), "manual", { now });
  }
  return { dryRun, expired: count, removed, sample, cutoff: cutoff.toISOString() };
}
