import { z } from "zod";
import { ACCESS_REQUEST_STATUSES, MAX_ACCESS_DAYS, MIN_ACCESS_DAYS } from "../mesh/access";

/** Access requests and grants of restricted products: the REST API's bodies and answers. */

const days = z
  .number({ error: "days must be a number of days" })
  .int("days must be a whole number")
  .min(MIN_ACCESS_DAYS, `At least ${MIN_ACCESS_DAYS} day`)
  .max(MAX_ACCESS_DAYS, `At most ${MAX_ACCESS_DAYS} days`);

export const accessRequestInputSchema = z
  .object({
    purpose: z.string({ error: "purpose is required" }).trim().min(3, "Say what you need the records for").max(1000, "At most 1000 characters"),
    days: days.describe("How long the access is asked for, in days (e.g. 30 or 90)"),
  })
  .strict()
  .describe("A request to read a restricted product's records");

export const approveInputSchema = z
  .object({ days: days.optional().describe("Grant fewer days than asked; the asked days when left out") })
  .strict()
  .describe("Approval of an access request");

export const denyInputSchema = z
  .object({ reason: z.string({ error: "reason is required" }).trim().min(3, "Give the requester a reason").max(1000, "At most 1000 characters") })
  .strict()
  .describe("Denial of an access request");

export const accessRequestSchema = z
  .object({
    id: z.uuid(),
    product: z.object({ domain: z.string(), name: z.string(), title: z.string() }),
    requester: z.string().describe("The requester's email"),
    purpose: z.string(),
    days: z.number().int(),
    status: z.enum(ACCESS_REQUEST_STATUSES),
    decidedBy: z.string().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    reason: z.string().nullable().describe("Why it was denied"),
    createdAt: z.iso.datetime(),
    grantId: z.uuid().nullable().describe("The grant an approval made"),
  })
  .describe("An access request and its decision");

export const accessGrantSchema = z
  .object({
    id: z.uuid(),
    user: z.string().describe("The grantee's email"),
    requestId: z.uuid().nullable(),
    grantedBy: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    state: z.enum(["active", "expired", "revoked"]),
    revokedAt: z.iso.datetime().nullable(),
    revokedBy: z.string().nullable(),
  })
  .describe("A user's right to read a restricted product's records until it expires or is revoked");

export type AccessRequestInput = z.infer<typeof accessRequestInputSchema>;
export type AccessRequestFormValues = z.input<typeof accessRequestInputSchema>;
export type ApproveInput = z.infer<typeof approveInputSchema>;
export type DenyInput = z.infer<typeof denyInputSchema>;
export type AccessRequest = z.infer<typeof accessRequestSchema>;
export type AccessGrant = z.infer<typeof accessGrantSchema>;
