import { api } from "@/components/api-client";
import {
  NOTIFICATIONS_API_PATH,
  NOTIFICATIONS_READ_API_PATH,
  subscriptionApiPath,
  webhookApiPath,
  webhookDeliveriesApiPath,
  webhooksApiPath,
  webhookTestApiPath,
  type ProductRef,
} from "@/lib/paths";
import type { Delivery, MarkReadInput, Notification, WebhookInput } from "@/lib/validation/notifications";

/** Browser calls of the subscription, notification and webhook API. */

export type Following = { following: boolean };
export type CreatedWebhook = { id: string; domain: string; url: string; description: string; createdAt: string; secret: string };

export const setFollowing = (product: ProductRef, follow: boolean) => api<Following>(subscriptionApiPath(product), { method: follow ? "PUT" : "DELETE" });
export const unreadNotifications = () => api<{ notifications: Notification[]; unread: number }>(`${NOTIFICATIONS_API_PATH}?unread=true&limit=1`);
export const markRead = (input: MarkReadInput) => api<{ marked: number; unread: number }>(NOTIFICATIONS_READ_API_PATH, { method: "POST", body: input });
export const createWebhook = (domain: string, input: WebhookInput) => api<CreatedWebhook>(webhooksApiPath(domain), { method: "POST", body: input });
export const deleteWebhook = (domain: string, id: string) => api<void>(webhookApiPath(domain, id), { method: "DELETE" });
export const testWebhook = (domain: string, id: string) => api<Delivery>(webhookTestApiPath(domain, id), { method: "POST" });
export const webhookDeliveries = (domain: string, id: string) => api<{ deliveries: Delivery[] }>(webhookDeliveriesApiPath(domain, id));
