import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { requireDomainWriter, type Actor } from "../auth/guard";
import { domainNames } from "../db/accounts";
import {
  claimDueDeliveries,
  deleteWebhook as deleteStoredWebhook,
  deliveriesOf,
  findWebhook,
  finishAttempt,
  insertDelivery,
  insertWebhook,
  webhooksOf,
  type DueDelivery,
  type StoredDelivery,
  type StoredWebhook,
} from "../db/notifications";
import { env } from "../env";
import { AppError } from "../errors";
import { eventSummary, TEST_EVENT } from "../mesh/events";
import { DELIVERY_HEADER, deliveredStatus, EVENT_HEADER, nextAttemptAt, signature, SIGNATURE_HEADER, type WebhookPayload } from "../mesh/webhooks";
import { createSafeFetch, resolveSafely } from "../net/safe-fetch";
import type { WebhookInput } from "../validation/notifications";

/**
 * A domain's webhooks (its owners and admins manage them) and the delivery
 * of events to them: signed POSTs through the SSRF-safe client, tried again
 * with backoff until MAX_ATTEMPTS, each attempt logged on the delivery.
 */

export type { StoredDelivery, StoredWebhook };

/** A claimed delivery is left to its server this long (more than one attempt takes). */
const LEASE_MS = 2 * 60_000;
const ATTEMPT_TIMEOUT_MS = 10_000;
const DELIVERY_LOG = 50;

type Clock = { now?: Date };

const safeOptions = () => ({ allowedHosts: env().WEBHOOK_ALLOWED_HOSTS, field: "url" });

async function requireDomain(domain: string): Promise<void> {
  if (!(await domainNames()).includes(domain)) throw new AppError("not_found", `No domain ${domain}`);
}

/** Registers a webhook; its signing secret is in the answer only. A URL the SSRF rules refuse is a 422 on url. */
export async function createWebhook(actor: Actor, domain: string, input: WebhookInput): Promise<StoredWebhook & { secret: string }> {
  requireDomainWriter(actor, domain);
  await requireDomain(domain);
  await resolveSafely(input.url, safeOptions());
  const secret = randomBytes(32).toString("base64url");
  const webhook = await insertWebhook({ domain, url: input.url, description: input.description, secret, createdBy: actor.id });
  return { ...webhook, secret };
}

export async function listWebhooks(actor: Actor, domain: string): Promise<StoredWebhook[]> {
  requireDomainWriter(actor, domain);
  await requireDomain(domain);
  return webhooksOf([domain]);
}

/** The webhooks of every domain `actor` may change (the settings page). */
export async function manageableWebhooks(actor: Actor): Promise<{ domains: string[]; webhooks: StoredWebhook[] }> {
  const domains = actor.role === "admin" ? await domainNames() : actor.domains;
  return { domains, webhooks: await webhooksOf(domains) };
}

async function webhookOf(actor: Actor, domain: string, id: string) {
  requireDomainWriter(actor, domain);
  const webhook = z.uuid().safeParse(id).success ? await findWebhook(id) : null;
  if (!webhook || webhook.domain !== domain) throw new AppError("not_found", `No webhook ${id} in the domain ${domain}`);
  return webhook;
}

export async function removeWebhook(actor: Actor, domain: string, id: string): Promise<void> {
  await webhookOf(actor, domain, id);
  await deleteStoredWebhook(id);
}

export async function webhookDeliveries(actor: Actor, domain: string, id: string): Promise<StoredDelivery[]> {
  await webhookOf(actor, domain, id);
  return deliveriesOf(id, DELIVERY_LOG);
}

/** Sends a webhook.test event now and returns its delivery (tried again later like any other if it failed). */
export async function testWebhook(actor: Actor, domain: string, id: string, { now = new Date() }: Clock = {}): Promise<StoredDelivery> {
  await webhookOf(actor, domain, id);
  const deliveryId = randomUUID();
  const details = { webhook: id, domain };
  const payload: WebhookPayload = { id: deliveryId, type: TEST_EVENT, product: null, time: now.toISOString(), summary: eventSummary(TEST_EVENT, details), details };
  await insertDelivery(id, { id: deliveryId, type: TEST_EVENT, payload, at: now });
  await deliverDueWebhooks({ now, ids: [deliveryId] });
  return (await deliveriesOf(id, DELIVERY_LOG)).find((delivery) => delivery.id === deliveryId)!;
}

/**
 * Makes one attempt of each pending delivery due at `now` (or of `ids`);
 * several servers may run it at once, each delivery goes to one of them.
 * Returns how many were attempted.
 */
export async function deliverDueWebhooks({ now = new Date(), limit = 20, ids }: Clock & { limit?: number; ids?: string[] } = {}): Promise<number> {
  const due = await claimDueDeliveries(now, new Date(now.getTime() + LEASE_MS), limit, ids);
  if (due.length === 0) return 0;
  const send = createSafeFetch({ ...safeOptions(), peer: "The webhook", totalTimeoutMs: ATTEMPT_TIMEOUT_MS, maxResponseBytes: 64 * 1024 });
  await Promise.all(due.map((delivery) => attempt(send, delivery, now)));
  return due.length;
}

async function attempt(send: typeof fetch, delivery: DueDelivery, now: Date): Promise<void> {
  const body = JSON.stringify(delivery.payload);
  const attempts = delivery.attempts + 1;
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await send(delivery.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "mesh-portal-webhooks",
        [EVENT_HEADER]: delivery.type,
        [DELIVERY_HEADER]: delivery.id,
        [SIGNATURE_HEADER]: signature(delivery.secret, body),
      },
      body,
    });
    statusCode = response.status;
    if (!deliveredStatus(statusCode)) error = `The webhook answered ${statusCode}`;
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  if (error === null) {
    await finishAttempt(delivery.id, { status: "delivered", attempts, nextAttemptAt: null, statusCode, error, deliveredAt: now });
    return;
  }
  const next = nextAttemptAt(attempts, now);
  await finishAttempt(delivery.id, { status: next ? "pending" : "failed", attempts, nextAttemptAt: next, statusCode, error, deliveredAt: null });
}
