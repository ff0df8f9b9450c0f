import { randomUUID } from "node:crypto";
import type { Prisma } from "../db/generated/client";
import { insertEvents } from "../db/notifications";
import { eventSummary, type EventDraft } from "../mesh/events";
import type { ProductRef } from "../paths";
import { deliverDueWebhooks } from "./webhooks";

/**
 * Raising product events: stored in the transaction of the change or check
 * that raised them, with a notification per follower and a delivery per
 * webhook of the product's domain; the deliveries start once it commits.
 */

type Tx = Prisma.TransactionClient;

/** Stores the events of `product` in `tx`; returns how many webhook deliveries wait for the commit. */
export async function raiseEvents(tx: Tx, product: ProductRef & { id: string }, drafts: EventDraft[]): Promise<number> {
  if (drafts.length === 0) return 0;
  return insertEvents(
    tx,
    product.id,
    drafts.map((draft) => {
      const id = randomUUID();
      const summary = eventSummary(draft.type, draft.details);
      const payload = { id, type: draft.type, product: { domain: product.domain, name: product.name }, time: draft.at.toISOString(), summary, details: draft.details };
      return { ...draft, id, payload };
    }),
  );
}

/** After the commit: sends the deliveries due at `now` without holding up the caller (retries follow on the schedule). */
export function deliverSoon(deliveries: number, now: Date): void {
  if (deliveries === 0) return;
  void deliverDueWebhooks({ now }).catch((error: unknown) => console.error("Could not deliver webhooks:", error));
}
