import { z } from "zod";
import { EVENT_TYPES, TEST_EVENT } from "../mesh/events";

/** Inputs and outputs of the subscription, notification and webhook endpoints and forms. */

const productAddress = z.object({ domain: z.string(), name: z.string(), title: z.string() });

export const subscriptionSchema = z.object({ following: z.boolean().describe("Whether the signed-in user follows the product") });

export const subscriptionListSchema = z.object({
  subscriptions: z.array(productAddress.extend({ since: z.iso.datetime().describe("When the user started following") })),
});

export const notificationSchema = z
  .object({
    id: z.string(),
    type: z.enum(EVENT_TYPES),
    at: z.iso.datetime().describe("When the event happened"),
    readAt: z.iso.datetime().nullable(),
    summary: z.string().describe('One line for people, e.g. "Freshness breached: 3.02 h (target ≤ 1 h)"'),
    details: z.record(z.string(), z.unknown()).describe("The event's details, as webhooks get them"),
    product: productAddress,
  })
  .describe("An event of a followed product");

export const notificationListQuerySchema = z.object({
  unread: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value === "true")
    .describe("true: only unread notifications"),
  limit: z.coerce.number().int().min(1, "At least 1").max(200, "At most 200").default(50),
});

export const notificationListSchema = z.object({
  notifications: z.array(notificationSchema).describe("Newest first"),
  unread: z.number().int().describe("Unread notifications in all"),
});

export const markReadInputSchema = z
  .union([
    z.object({ ids: z.array(z.uuid({ error: "Each id must be a notification id" })).min(1).max(500) }).strict(),
    z.object({ all: z.literal(true) }).strict(),
  ])
  .describe("{ ids } marks those notifications read, { all: true } every one");

export const markReadResultSchema = z.object({ marked: z.number().int(), unread: z.number().int() });

export const webhookInputSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: "Enter an http(s) URL" })
      .max(2000, "Must be at most 2000 characters")
      .describe("Where the domain's product events are POSTed (checked against the SSRF rules; WEBHOOK_ALLOWED_HOSTS allows private hosts)"),
    description: z.string().trim().max(200, "Must be at most 200 characters").default(""),
  })
  .strict();

export const webhookSchema = z.object({
  id: z.string(),
  domain: z.string(),
  url: z.string(),
  description: z.string(),
  createdAt: z.iso.datetime(),
});

export const webhookCreatedSchema = webhookSchema.extend({
  secret: z.string().describe(`Key of the HMAC-SHA256 signature in X-Mesh-Signature: shown once, store it now`),
});

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) });

export const deliverySchema = z
  .object({
    id: z.string(),
    type: z.union([z.enum(EVENT_TYPES), z.literal(TEST_EVENT)]),
    status: z.enum(["pending", "delivered", "failed"]).describe("pending: not yet delivered, tried again at nextAttemptAt; failed: every attempt failed"),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable(),
    lastStatusCode: z.number().int().nullable().describe("HTTP status of the last answer; null when none came"),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().nullable(),
  })
  .describe("One event sent to one webhook");

export const deliveryListSchema = z.object({ deliveries: z.array(deliverySchema).describe("Newest first, at most 50") });

export type NotificationListQuery = z.infer<typeof notificationListQuerySchema>;
export type MarkReadInput = z.infer<typeof markReadInputSchema>;
export type WebhookInput = z.infer<typeof webhookInputSchema>;
export type WebhookFormValues = z.input<typeof webhookInputSchema>;
export type Notification = z.infer<typeof notificationSchema>;
export type Delivery = z.infer<typeof deliverySchema>;
