import "server-only";
import type { Visibility } from "../mesh/access";
import type { EventDraft } from "../mesh/events";
import type { WebhookPayload } from "../mesh/webhooks";
import { db } from "./client";
import type { Prisma } from "./generated/client";

/**
 * Subscriptions, product events, notifications, webhooks and their
 * deliveries. An event is stored with its notifications (one per follower)
 * and its deliveries (one per webhook of the product's domain) in the
 * transaction it is raised in.
 */

type Tx = Prisma.TransactionClient;

/** An event with its id chosen by the caller, and the body its webhooks get. */
export interface EventRow extends EventDraft {
  id: string;
  payload: WebhookPayload;
}

/**
 * Stores events of a product, a notification per follower (or per recipient
 * the event names) and a pending delivery per webhook of its domain; returns
 * the deliveries made.
 */
export async function insertEvents(tx: Tx, productId: string, events: EventRow[]): Promise<number> {
  let deliveries = 0;
  for (const event of events) {
    await tx.$executeRaw`
      INSERT INTO product_events (id, product_id, type, at, details)
      VALUES (${event.id}::uuid, ${productId}::uuid, ${event.type}, ${event.at}, ${JSON.stringify(event.details)}::jsonb)`;
    if (event.recipients) {
      await tx.$executeRaw`
        INSERT INTO notifications (id, user_id, event_id, created_at)
        SELECT gen_random_uuid(), id, ${event.id}::uuid, ${event.at} FROM users WHERE id = ANY(${event.recipients}::text[])`;
    } else {
      await tx.$executeRaw`
        INSERT INTO notifications (id, user_id, event_id, created_at)
        SELECT gen_random_uuid(), user_id, ${event.id}::uuid, ${event.at} FROM subscriptions WHERE product_id = ${productId}::uuid`;
    }
    deliveries += await tx.$executeRaw`
      INSERT INTO webhook_deliveries (id, webhook_id, event_id, type, payload, next_attempt_at, created_at)
      SELECT gen_random_uuid(), w.id, ${event.id}::uuid, ${event.type}, ${JSON.stringify(event.payload)}::jsonb, ${event.at}, ${event.at}
      FROM webhooks w JOIN products p ON p.domain = w.domain WHERE p.id = ${productId}::uuid`;
  }
  return deliveries;
}

/** insertEvents in a transaction of its own. */
export function storeEvents(productId: string, events: EventRow[]): Promise<number> {
  return db().$transaction((tx) => insertEvents(tx, productId, events));
}

// Subscriptions

export async function subscribe(userId: string, productId: string): Promise<void> {
  await db().subscription.upsert({ where: { userId_productId: { userId, productId } }, create: { userId, productId }, update: {} });
}

export async function unsubscribe(userId: string, productId: string): Promise<void> {
  await db().subscription.deleteMany({ where: { userId, productId } });
}

export async function isSubscribed(userId: string, productId: string): Promise<boolean> {
  return (await db().subscription.count({ where: { userId, productId } })) > 0;
}

export interface StoredSubscription {
  domain: string;
  name: string;
  title: string;
  since: string;
}

export async function subscriptionsOf(userId: string): Promise<StoredSubscription[]> {
  const rows = await db().subscription.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true, product: { select: { domain: true, name: true, title: true } } },
  });
  return rows.map((row) => ({ ...row.product, since: row.createdAt.toISOString() }));
}

// Notifications

export interface StoredNotification {
  id: string;
  type: string;
  at: string;
  readAt: string | null;
  details: Record<string, unknown>;
  product: { id: string; domain: string; name: string; title: string; visibility: Visibility };
}

export async function notificationsOf(userId: string, { unreadOnly, limit }: { unreadOnly: boolean; limit: number }): Promise<StoredNotification[]> {
  const rows = await db().notification.findMany({
    where: { userId, ...(unreadOnly ? { readAt: null } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
    select: {
      id: true,
      readAt: true,
      event: { select: { type: true, at: true, details: true, product: { select: { id: true, domain: true, name: true, title: true, visibility: true } } } },
    },
  });
  return rows.map(({ id, readAt, event }) => ({
    id,
    type: event.type,
    at: event.at.toISOString(),
    readAt: readAt?.toISOString() ?? null,
    details: event.details as Record<string, unknown>,
    product: { ...event.product, visibility: event.product.visibility as Visibility },
  }));
}

export function unreadCount(userId: string): Promise<number> {
  return db().notification.count({ where: { userId, readAt: null } });
}

/** Marks the user's notifications read: those of `ids`, or all. Returns how many changed. */
export async function markRead(userId: string, ids: string[] | "all", at: Date): Promise<number> {
  const { count } = await db().notification.updateMany({
    where: { userId, readAt: null, ...(ids === "all" ? {} : { id: { in: ids } }) },
    data: { readAt: at },
  });
  return count;
}

// Webhooks

export interface StoredWebhook {
  id: string;
  domain: string;
  url: string;
  description: string;
  createdAt: string;
}

const webhookFields = { id: true, domain: true, url: true, description: true, createdAt: true } as const;
const toWebhook = (row: { id: string; domain: string; url: string; description: string; createdAt: Date }): StoredWebhook => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
});

export async function insertWebhook(input: { domain: string; url: string; description: string; secret: string; createdBy: string }): Promise<StoredWebhook> {
  return toWebhook(await db().webhook.create({ data: input, select: webhookFields }));
}

export async function webhooksOf(domains: string[]): Promise<StoredWebhook[]> {
  const rows = await db().webhook.findMany({ where: { domain: { in: domains } }, orderBy: [{ domain: "asc" }, { createdAt: "asc" }], select: webhookFields });
  return rows.map(toWebhook);
}

export async function findWebhook(id: string): Promise<(StoredWebhook & { secret: string }) | null> {
  const row = await db().webhook.findUnique({ where: { id }, select: { ...webhookFields, secret: true } });
  return row ? { ...toWebhook(row), secret: row.secret } : null;
}

export async function deleteWebhook(id: string): Promise<void> {
  await db().webhook.delete({ where: { id } });
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface StoredDelivery {
  id: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export async function deliveriesOf(webhookId: string, limit: number): Promise<StoredDelivery[]> {
  const rows = await db().webhookDelivery.findMany({ where: { webhookId }, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: limit });
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: iso(row.deliveredAt),
  }));
}

/** A pending delivery of a webhook (a test: no event), due at `at`. */
export async function insertDelivery(webhookId: string, delivery: { id: string; type: string; payload: WebhookPayload; at: Date }): Promise<void> {
  await db().webhookDelivery.create({
    data: {
      id: delivery.id,
      webhookId,
      type: delivery.type,
      payload: delivery.payload as unknown as Prisma.InputJsonValue,
      nextAttemptAt: delivery.at,
      createdAt: delivery.at,
    },
  });
}

export interface DueDelivery {
  id: string;
  type: string;
  payload: WebhookPayload;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Claims up to `limit` pending deliveries due at `now` (or only `ids`) by
 * moving their next attempt to `leaseUntil`: a row another server is
 * claiming is skipped, so each attempt is made once.
 */
export async function claimDueDeliveries(now: Date, leaseUntil: Date, limit: number, ids?: string[]): Promise<DueDelivery[]> {
  const only = ids ?? null;
  return db().$queryRaw<DueDelivery[]>`
    UPDATE webhook_deliveries d SET next_attempt_at = ${leaseUntil}
    FROM webhooks w
    WHERE w.id = d.webhook_id AND d.id IN (
      SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${now} AND (${only}::uuid[] IS NULL OR id = ANY(${only}::uuid[]))
      ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d.type, d.payload, d.attempts, w.url, w.secret`;
}

/** The outcome of one attempt. */
export async function finishAttempt(
  id: string,
  outcome: { status: DeliveryStatus; attempts: number; nextAttemptAt: Date | null; statusCode: number | null; error: string | null; deliveredAt: Date | null },
): Promise<void> {
  await db().webhookDelivery.update({
    where: { id },
    data: {
      status: outcome.status,
      attempts: outcome.attempts,
      nextAttemptAt: outcome.nextAttemptAt,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      deliveredAt: outcome.deliveredAt,
    },
  });
}
