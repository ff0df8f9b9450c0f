import { randomUUID } from "node:crypto";
import type { Prisma } from "../db/generated/client";
import { insertEvents, storeEvents } from "../db/notifications";
import { eventSummary, type EventDraft } from "../mesh/events";
import type { ProductRef } from "../paths";
import { deliverDueWebhooks } from "./webhooks";

/**
 * Raising product events: stored in the transaction of the change or check
 * that raised them, with a notification per follower and a delivery per
 * webhook of the product's domain; the deliveries start once it commits.
 */

type Tx = Prisma.TransactionClient;

type Target = ProductRef & { id: string };

const rowsOf = (product: Target, drafts: EventDraft[]) =>
  drafts.map((draft) => {
    const id = randomUUID();
    const summary = eventSummary(draft.type, draft.details);
    const payload = { id, type: draft.type, product: { domain: product.domain, name: product.name }, time: draft.at.toISOString(), summary, details: draft.details };
    return { ...draft, id, payload };
  });

/** Stores the events of `product` in `tx`; returns how many webhook deliveries wait for the commit. */
export async function raiseEvents(tx: Tx, product: Target, drafts: EventDraft[]): Promise<number> {
  return drafts.length ? insertEvents(tx, product.id, rowsOf(product, drafts)) : 0;
}

/** For a change already committed: stores its events in a transaction of their own, then delivers them. */
export async function publishEvents(product: Target, drafts: EventDraft[], now: Date): Promise<void> {
  deliverSoon(await storeEvents(product.id, rowsOf(product, drafts)), now);
}

/** After the commit: sends the deliveries due at `now` without holding up the caller (retries follow on the schedule). */
export function deliverSoon(deliveries: number, now: Date): void {
  if (deliveries === 0) return;
  void deliverDueWebhooks({ now }).catch((error: unknown) => console.error("Could not deliver webhooks:", error));
}
