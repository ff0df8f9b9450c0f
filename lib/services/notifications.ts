import type { Actor } from "../auth/guard";
import { getProductId } from "../db/products";
import { isSubscribed, markRead, notificationsOf, subscribe, subscriptionsOf, unreadCount, unsubscribe, type StoredSubscription } from "../db/notifications";
import { eventSummary, type EventType } from "../mesh/events";
import type { ProductRef } from "../paths";
import { recordAccess } from "./access";
import type { MarkReadInput, Notification, NotificationListQuery } from "../validation/notifications";

/**
 * Following products, and the notifications their events leave for their
 * followers; a restricted product's failing record keys only for its readers.
 */

export type { StoredSubscription };

/** Follows the product (idempotent): its events become the user's notifications. */
export async function follow(actor: Actor, { domain, name }: ProductRef): Promise<{ following: boolean }> {
  await subscribe(actor.id, await getProductId(domain, name));
  return { following: true };
}

export async function unfollow(actor: Actor, { domain, name }: ProductRef): Promise<{ following: boolean }> {
  await unsubscribe(actor.id, await getProductId(domain, name));
  return { following: false };
}

export async function following(actor: Actor, { domain, name }: ProductRef): Promise<{ following: boolean }> {
  return { following: await isSubscribed(actor.id, await getProductId(domain, name)) };
}

export function subscriptions(actor: Actor): Promise<StoredSubscription[]> {
  return subscriptionsOf(actor.id);
}

export async function notifications(actor: Actor, { unread, limit }: NotificationListQuery): Promise<{ notifications: Notification[]; unread: number }> {
  const [rows, count, access] = await Promise.all([notificationsOf(actor.id, { unreadOnly: unread, limit }), unreadCount(actor.id), recordAccess(actor)]);
  return {
    notifications: rows.map(({ product: { id, visibility, ...product }, ...row }) => {
      // A failed rule's record keys are the records' data: only for those who read them (like the health).
      const details = "failingKeys" in row.details && !access.readable({ id, domain: product.domain, visibility }) ? { ...row.details, failingKeys: [] } : row.details;
      return { ...row, details, product, type: row.type as EventType, summary: eventSummary(row.type, details) };
    }),
    unread: count,
  };
}

export const unreadNotificationCount = (actor: Actor) => unreadCount(actor.id);

export async function markNotificationsRead(actor: Actor, input: MarkReadInput, { now = new Date() }: { now?: Date } = {}): Promise<{ marked: number; unread: number }> {
  const marked = await markRead(actor.id, "all" in input ? "all" : input.ids, now);
  return { marked, unread: await unreadCount(actor.id) };
}
