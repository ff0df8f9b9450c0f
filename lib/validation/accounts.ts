import { z } from "zod";
import { USER_ROLES } from "../mesh/permissions";
import { slugSchema } from "./product";

/** Inputs of the domain, user and API key endpoints and forms. */

export const domainInputSchema = z
  .object({
    name: slugSchema,
    description: z.string().trim().max(500, "Must be at most 500 characters").default(""),
  })
  .strict()
  .describe("A domain team of the mesh");

export const domainOutputSchema = z.object({
  name: z.string(),
  description: z.string(),
  owners: z.array(z.object({ id: z.string(), email: z.string(), name: z.string() })),
  productCount: z.number().int(),
});

export const ownerInputSchema = z.object({
  email: z.email({ error: "Enter the email address of a user" }).trim(),
});

export const userInputSchema = z
  .object({
    email: z.email({ error: "Enter an email address" }).trim(),
    name: z.string().trim().max(100, "Must be at most 100 characters").default(""),
    password: z.string().min(8, "Use at least 8 characters").max(128, "Use at most 128 characters"),
    role: z.enum(USER_ROLES).default("member"),
  })
  .strict();

export const roleInputSchema = z.object({ role: z.enum(USER_ROLES, { error: "Role must be admin or member" }) });

export const apiKeyInputSchema = z
  .object({
    name: z
      .string({ error: "Name the key, e.g. the script that uses it" })
      .trim()
      .min(1, "Name the key, e.g. the script that uses it")
      .max(64, "Must be at most 64 characters"),
  })
  .strict();

export const apiKeyCreatedSchema = z.object({
  id: z.string(),
  key: z.string().describe("The key itself: shown once, store it now"),
});

export const apiKeyListSchema = z.object({
  keys: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), start: z.string().nullable(), lastUsedAt: z.string().nullable() })),
});

export type DomainInput = z.infer<typeof domainInputSchema>;
export type OwnerInput = z.infer<typeof ownerInputSchema>;
export type UserInput = z.infer<typeof userInputSchema>;
export type RoleInput = z.infer<typeof roleInputSchema>;
export type ApiKeyInput = z.infer<typeof apiKeyInputSchema>;
