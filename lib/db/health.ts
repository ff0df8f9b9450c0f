import "server-only";
import type { Health, HealthStatus, Measurements } from "../mesh/health";
import { VOLUME_HISTORY } from "../mesh/health";
import type { LoadEntry } from "../mesh/health-history";
import type { RuleMeasurement } from "../mesh/quality";
import type { Sla } from "../validation/product";
import { writeAudit, type AuditActor } from "./audit";
import { db, withAdvisoryLock } from "./client";
import { forgetRecordsLexically } from "./lexical";
import { Prisma } from "./generated/client";

/**
 * Health queries: loads, the request log, the measurements the checks run on,
 * the current health of each product and the history of check runs. Every
 * time comes from the caller (an injectable clock), never from `now()`.
 */

type Tx = Prisma.TransactionClient;

export type RequestKind = "read" | "query";
export interface LoggedRequest {
  domain: string;
  name: string;
  kind: RequestKind;
  ok: boolean;
  durationMs: number;
  at: Date;
}

/** Appends requests to the log, addressed by domain/name (requests for products that do not exist are dropped). */
export async function insertRequests(entries: LoggedRequest[]): Promise<void> {
  if (entries.length === 0) return;
  await db().$executeRaw`
    INSERT INTO request_log (product_id, kind, ok, duration_ms, at)
    SELECT p.id, t.kind, t.ok, t.duration_ms, t.at
    FROM unnest(${entries.map((e) => e.domain)}::text[], ${entries.map((e) => e.name)}::text[], ${entries.map((e) => e.kind)}::text[],
                ${entries.map((e) => e.ok)}::boolean[], ${entries.map((e) => Math.round(e.durationMs))}::int[],
                ${entries.map((e) => e.at.toISOString())}::timestamptz[]) AS t(domain, name, kind, ok, duration_ms, at)
    JOIN products p ON p.domain = t.domain AND p.name = t.name`;
}

/** Drops request log entries older than `before`. */
export async function pruneRequests(before: Date): Promise<number> {
  return db().$executeRaw`DELETE FROM request_log WHERE at < ${before}`;
}

export type { LoadEntry };

export async function insertLoad(productId: string, load: LoadEntry): Promise<void> {
  await db().recordLoad.create({ data: { productId, ...load } });
}

export interface StoredLoad extends LoadEntry {
  id: string;
}

/** The loads between `from` and `to`, oldest first. */
export async function loadsBetween(productId: string, from: Date, to: Date): Promise<StoredLoad[]> {
  const rows = await db().recordLoad.findMany({ where: { productId, at: { gte: from, lte: to } }, orderBy: { at: "asc" } });
  return rows.map((row) => ({ ...row, outcome: row.outcome as LoadEntry["outcome"] }));
}

/**
 * Everything the checks need, measured at `now` in a few aggregate queries:
 * the newest event time and the records past retention (from the records'
 * event-time index), the last successful loads, and the request log of the window.
 */
export async function measure(
  tx: Tx,
  { id: productId, sla, lastLoadedAt }: { id: string; sla: Sla; lastLoadedAt: string | null },
  { now, windowStart }: { now: Date; windowStart: Date },
): Promise<Measurements> {
  const field = sla.eventTimeField;
  const retentionCutoff = sla.retentionDays === undefined ? null : new Date(now.getTime() - sla.retentionDays * 86_400_000);
  // From the event-time index: the newest event time, and a range count that reads only the expired records.
  const expired = retentionCutoff
    ? Prisma.sql`(SELECT count(*)::int FROM records WHERE product_id = ${productId}::uuid AND event_at < ${retentionCutoff})`
    : Prisma.sql`0`;
  const [events] = field
    ? await tx.$queryRaw<{ newest: Date | null; expired: number }[]>`
        SELECT (SELECT max(event_at) FROM records WHERE product_id = ${productId}::uuid) AS newest, ${expired} AS expired`
    : [{ newest: null, expired: 0 }];
  const loads = await tx.recordLoad.findMany({
    where: { productId, outcome: "loaded", at: { lte: now } },
    orderBy: { at: "desc" },
    take: VOLUME_HISTORY + 1,
    select: { at: true, rows: true },
  });
  const [requests] = await tx.$queryRaw<{ total: number; ok: number; queries: number; p95: number | null }[]>`
    SELECT count(*)::int AS total, count(*) FILTER (WHERE ok)::int AS ok,
           count(*) FILTER (WHERE kind = 'query' AND ok)::int AS queries,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE kind = 'query' AND ok) AS p95
    FROM request_log WHERE product_id = ${productId}::uuid AND at > ${windowStart} AND at <= ${now}`;
  return {
    now,
    sla,
    newestEventAt: events!.newest,
    lastLoadAt: lastLoadedAt ? new Date(lastLoadedAt) : null,
    loads,
    requests: { total: requests!.total, ok: requests!.ok },
    queries: { count: requests!.queries, p95Ms: requests!.p95 === null ? null : Number(requests!.p95) },
    expiredRecords: field && retentionCutoff ? events!.expired : null,
  };
}

/**
 * Runs `work` in a transaction holding the product's advisory lock: checks
 * of one product never overlap, whichever server runs them.
 */
export async function withProductLock<T>(productId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withAdvisoryLock(productId, work, { maxWait: 60_000, timeout: 5 * 60_000 });
}

export type HealthTrigger = "schedule" | "load" | "manual";

export async function findHealth(tx: Tx | null, productId: string): Promise<Health | null> {
  const row = await (tx ?? db()).productHealth.findUnique({ where: { productId }, select: { result: true } });
  return (row?.result as Health | null | undefined) ?? null;
}

/**
 * What a check counted for the quality rules (in rule order; null for a rule
 * the database could not run), at which records version, for which rules
 * (`rules` identifies them with the types of their fields).
 */
export interface QualityMeasured {
  version: string;
  rules: string;
  measurements: (RuleMeasurement | null)[];
}

/** The product's records version (bumped by the database whenever any of its records is written or removed). */
export async function recordsVersion(tx: Tx, productId: string): Promise<string> {
  const [row] = await tx.$queryRaw<{ version: string }[]>`SELECT records_version::text AS version FROM products WHERE id = ${productId}::uuid`;
  return row?.version ?? "0";
}

/** The previous check of the product: its health and what it counted for the quality rules. */
export async function previousCheck(tx: Tx, productId: string): Promise<{ health: Health | null; qualityMeasured: QualityMeasured | null }> {
  const row = await tx.productHealth.findUnique({ where: { productId }, select: { result: true, qualityMeasured: true } });
  const stored = row?.qualityMeasured as QualityMeasured | null | undefined;
  // JSON keeps the newest value of a freshness rule as text.
  const measurements = stored?.measurements.map((m) => m && (m.newest === undefined ? m : { ...m, newest: m.newest === null ? null : new Date(m.newest) }));
  return { health: (row?.result as Health | null | undefined) ?? null, qualityMeasured: stored && measurements ? { ...stored, measurements } : null };
}

/** Stores a check run: the product's current health, what it counted, its next check, and a history entry. */
export async function saveHealth(
  tx: Tx,
  productId: string,
  { health, qualityMeasured, trigger, nextCheckAt }: { health: Health; qualityMeasured: QualityMeasured; trigger: HealthTrigger; nextCheckAt: Date },
): Promise<void> {
  const checkedAt = new Date(health.checkedAt);
  const result = health as unknown as Prisma.InputJsonValue;
  const measured = qualityMeasured as unknown as Prisma.InputJsonValue;
  await tx.productHealth.upsert({
    where: { productId },
    create: { productId, status: health.status, checkedAt, result, qualityMeasured: measured, nextCheckAt },
    update: { status: health.status, checkedAt, result, qualityMeasured: measured, nextCheckAt },
  });
  await tx.healthRun.create({ data: { productId, checkedAt, trigger, status: health.status, result } });
}

/**
 * Claims up to `limit` products due for a scheduled check at `now` by moving
 * their next check to `next`; a row another server is claiming is skipped,
 * so each due product goes to one server. Products never checked are due.
 */
export async function claimDueProducts(now: Date, next: Date, limit: number): Promise<string[]> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO product_health (product_id, status, next_check_at)
      SELECT id, 'unknown', ${now} FROM products
      ON CONFLICT (product_id) DO NOTHING`;
    const rows = await tx.$queryRaw<{ product_id: string }[]>`
      UPDATE product_health SET next_check_at = ${next}
      WHERE product_id IN (
        SELECT product_id FROM product_health WHERE next_check_at <= ${now}
        ORDER BY next_check_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING product_id`;
    return rows.map((row) => row.product_id);
  });
}

export interface HealthRunEntry {
  checkedAt: Date;
  trigger: HealthTrigger;
  status: HealthStatus;
  result: Health;
}

/** The check runs between `from` and `to`, oldest first. */
export async function healthRunsBetween(productId: string, from: Date, to: Date): Promise<HealthRunEntry[]> {
  const rows = await db().healthRun.findMany({
    where: { productId, checkedAt: { gte: from, lte: to } },
    orderBy: { checkedAt: "asc" },
    select: { checkedAt: true, trigger: true, status: true, result: true },
  });
  return rows.map((row) => ({ ...row, trigger: row.trigger as HealthTrigger, status: row.status as HealthStatus, result: row.result as unknown as Health }));
}

/** p95 latency of the product's successful semantic queries and its availability, per UTC day since `from`. */
export async function requestsPerDay(
  productId: string,
  from: Date,
  to: Date,
): Promise<{ day: string; requests: number; ok: number; p95: number | null }[]> {
  const rows = await db().$queryRaw<{ day: string; requests: number; ok: number; p95: number | null }[]>`
    SELECT to_char(date_trunc('day', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
           count(*)::int AS requests, count(*) FILTER (WHERE ok)::int AS ok,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE kind = 'query' AND ok) AS p95
    FROM request_log WHERE product_id = ${productId}::uuid AND at >= ${from} AND at <= ${to}
    GROUP BY 1 ORDER BY 1`;
  return rows.map((row) => ({ ...row, p95: row.p95 === null ? null : Number(row.p95) }));
}

/** Keys of up to `limit` records whose event time is before `cutoff`, and how many there are. */
export async function expiredRecords(productId: string, cutoff: Date, limit: number): Promise<{ count: number; sample: string[] }> {
  const [row] = await db().$queryRaw<{ count: number; sample: string[] | null }[]>`
    SELECT count(*)::int AS count, (array_agg(key ORDER BY key))[1:${limit}] AS sample
    FROM records WHERE product_id = ${productId}::uuid AND event_at < ${cutoff}`;
  return { count: row!.count, sample: row!.sample ?? [] };
}

/** Removes the records whose event time is before `cutoff`, audited in the same transaction; returns how many. */
export async function purgeRecords(product: { id: string; domain: string; name: string }, cutoff: Date, by: AuditActor): Promise<number> {
  return db().$transaction(async (tx) => {
    const expired = await tx.$queryRaw<{ key: string }[]>`
      SELECT key FROM records WHERE product_id = ${product.id}::uuid AND event_at < ${cutoff} FOR UPDATE`;
    const keys = expired.map((row) => row.key);
    await forgetRecordsLexically(tx, product.id, keys);
    const removed = await tx.$executeRaw`DELETE FROM records WHERE product_id = ${product.id}::uuid AND key = ANY(${keys}::text[])`;
    if (removed > 0) {
      await writeAudit(tx, by, {
        action: "records.purged",
        domain: product.domain,
        name: product.name,
        changes: { records: { from: removed, to: 0 }, cutoff: { from: null, to: cutoff.toISOString() } },
      });
    }
    return removed;
  });
}
