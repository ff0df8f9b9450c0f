// lib/validation: the zod schemas of every input and output, shared by forms, actions, routes and OpenAPI.
import { z } from "zod";
import { VISIBILITIES } from "../mesh/access";
import { parseFrequency } from "../mesh/frequency";
import { HEALTH_STATUSES } from "../mesh/health-status";
import { PRODUCT_STATUSES, type ProductStatus } from "../mesh/product-status";
import { isReservedName } from "../mesh/text";
import { qualityRulesSchema } from "./quality";

/**
 * The data product contract: one zod schema per input, shared by the
 * registration form (in the browser), the server actions and the REST API,
 * and the source of the OpenAPI document.
 */

export const FIELD_TYPES = ["string", "integer", "number", "boolean", "date", "timestamp"] as const;
export const CAPABILITY_STATES = ["indexing", "ready", "failed"] as const;
export const UPDATE_FREQUENCIES = ["realtime", "hourly", "daily", "weekly", "monthly"] as const;

const FREQUENCY_HINT = `Use ${UPDATE_FREQUENCIES.join(", ")}, "every 15 minutes", "every 6 hours" or an ISO 8601 duration such as PT15M (between a minute and a year)`;

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const text = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be text`) });

const slug = (what: string) =>
  text(what)
    .trim()
    .min(1, `${what} is required`)
    .min(2, "Must be at least 2 characters")
    .max(63, "Must be at most 63 characters")
    .regex(kebab, "Use lowercase letters, digits and single hyphens (kebab-case)");

export const slugSchema = slug("This field");

export const reservedNameMessage = (issue: { input: unknown }) =>
  `"${String(issue.input)}" is reserved (a property of every JavaScript object); choose another name`;

export const fieldNameSchema = text("Field name")
  .trim()
  .min(1, "Field name is required")
  .max(63, "Must be at most 63 characters")
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Use letters, digits and underscores, starting with a letter or underscore")
  .refine((name) => !isReservedName(name), { error: reservedNameMessage });

export const fieldSchema = z
  .object({
    name: fieldNameSchema,
    type: z.enum(FIELD_TYPES, { error: `Type must be one of ${FIELD_TYPES.join(", ")}` }),
    required: z.boolean().default(false),
    description: z.string().trim().max(500, "Must be at most 500 characters").default(""),
    pii: z.boolean().default(false),
  })
  .strict()
  .describe("A typed field of the product's records");

export const productSchemaSchema = z
  .object({
    primaryKey: text("The primary key").trim().min(1, "Choose the primary key field"),
    fields: z
      .array(fieldSchema)
      .min(1, "Add at least one field")
      .max(200, "At most 200 fields"),
  }, { error: (issue) => (issue.input === undefined ? "Schema is required" : "Schema must be an object { primaryKey, fields }") })
  .strict()
  .superRefine((schema, ctx) => {
    const seen = new Map<string, number>();
    schema.fields.forEach((field, index) => {
      const key = field.name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["fields", index, "name"],
          message: `Duplicate field name "${field.name}" (also field ${first + 1})`,
        });
      } else {
        seen.set(key, index);
      }
    });
    if (!schema.primaryKey) return;
    const pk = schema.fields.find((field) => field.name === schema.primaryKey);
    if (!pk) {
      ctx.addIssue({ code: "custom", path: ["primaryKey"], message: "The primary key must be one of the fields" });
    } else if (!pk.required) {
      ctx.addIssue({ code: "custom", path: ["primaryKey"], message: "The primary key field must be required" });
    }
  })
  .describe("Record schema: typed fields and the primary key");

const bounded = (min: number, max: number, unit: string, integer = false) => {
  const base = integer ? z.number().int(`Must be a whole number of ${unit}`) : z.number();
  return base
    .min(min, `Must be at least ${min}`)
    .max(max, `Must be at most ${max}`)
    .optional();
};

export const slaSchema = z
  .object({
    freshnessHours: bounded(0, 8760, "hours").describe("Maximum age of the newest data, in hours"),
    availabilityPercent: bounded(0, 100, "percent").describe("Availability objective, 0–100"),
    latencyMsP95: bounded(0, 600_000, "milliseconds", true).describe("95th-percentile query latency, ms"),
    retentionDays: bounded(0, 36_500, "days", true).describe("How long records are kept, in days"),
    updateFrequency: z
      .string({ error: "Must be text" })
      .trim()
      .max(40, "Must be at most 40 characters")
      .refine((value) => parseFrequency(value) !== null, FREQUENCY_HINT)
      .overwrite((value) => parseFrequency(value)?.text ?? value)
      .optional()
      .describe(
        `How often the product is refreshed: ${UPDATE_FREQUENCIES.join(", ")}; "every 15 minutes", "every 6 hours"; or an ISO 8601 duration such as PT15M`,
      ),
    eventTimeField: fieldNameSchema
      .optional()
      .describe("A date or timestamp field of the schema holding each record's event time: freshness and retention are measured on it"),
  })
  .strict()
  .describe("Service-level objectives; every field optional");

export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Tags cannot be empty")
  .max(32, "Tags are at most 32 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Tags use lowercase letters, digits and hyphens");

/** The editable fields, without defaults: a PATCH must not reset what it leaves out. */
const productFields = {
  title: text("Title").trim().min(1, "Title is required").max(120, "Must be at most 120 characters"),
  description: z.string().trim().max(5000, "Must be at most 5000 characters"),
  owner: z
    .email({ error: (issue) => (issue.input === undefined ? "Owner is required" : "Owner must be an email address") })
    .max(254, "Must be at most 254 characters"),
  tags: z
    .array(tagSchema)
    .max(20, "At most 20 tags")
    .refine((tags) => new Set(tags).size === tags.length, "Tags must be unique"),
  status: z.enum(PRODUCT_STATUSES, { error: "Status must be draft, active or deprecated" }),
  visibility: z
    .enum(VISIBILITIES, { error: "Visibility must be public or restricted" })
    .describe("public: every signed-in user reads the records; restricted: only the domain's owners, admins and users with a current grant"),
  version: z
    .string()
    .trim()
    .regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, "Use a semantic version such as 1.0.0"),
  schema: productSchemaSchema,
  sla: slaSchema,
  quality: qualityRulesSchema.describe("Data-quality rules, checked after every load and on demand"),
};

export const productInputSchema = z
  .object({
    domain: slug("Domain").describe("Owning domain, kebab-case"),
    name: slug("Name").describe("Product name, kebab-case, unique within the domain"),
    ...productFields,
    description: productFields.description.default(""),
    tags: productFields.tags.default([]),
    status: productFields.status.default("draft"),
    visibility: productFields.visibility.default("public"),
    version: productFields.version.default("1.0.0"),
    sla: productFields.sla.default({}),
    quality: productFields.quality.default([]),
  })
  .strict()
  .describe("A data product registration");

/** PATCH body: any subset of the registration fields except the address (domain/name). */
export const productUpdateSchema = z
  .object(productFields)
  .partial()
  .strict()
  .describe("Fields to change; the address domain/name cannot change");

export const productOutputSchema = productInputSchema
  .extend({
    id: z.uuid(),
    recordCount: z.number().int().describe("Number of records the product holds"),
    lastLoadedAt: z.iso.datetime().nullable().describe("When records were last loaded; null if never"),
    capabilities: z
      .object({
        semanticSearch: z.enum(CAPABILITY_STATES).nullable().describe("null when off"),
      })
      .describe("State of the product's AI capabilities"),
    health: z.enum(HEALTH_STATUSES).describe("Measured health as last checked (GET …/health has the checks); unknown before the first check"),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .describe("A registered data product");

export const productFiltersSchema = z.object({
  q: z.string().trim().max(200).optional().describe("Keywords over name, title, description, tags and field names"),
  domain: z.string().trim().optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
  tag: z.string().trim().toLowerCase().optional(),
  health: z.enum(HEALTH_STATUSES).optional().describe("Only products of this measured health"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export type FieldType = (typeof FIELD_TYPES)[number];
export { PRODUCT_STATUSES, type ProductStatus };
export type CapabilityState = (typeof CAPABILITY_STATES)[number];
export type ProductField = z.infer<typeof fieldSchema>;
export type ProductSchema = z.infer<typeof productSchemaSchema>;
export type Sla = z.infer<typeof slaSchema>;
export type ProductInput = z.infer<typeof productInputSchema>;
/** What a form holds before parsing (defaults not yet applied). */
export type ProductFormValues = z.input<typeof productInputSchema>;
export type ProductUpdate = z.infer<typeof productUpdateSchema>;
export type Product = z.infer<typeof productOutputSchema>;
export type ProductFilters = z.infer<typeof productFiltersSchema>;

export const CATALOG_PAGE_SIZE = 24;

/** The catalog page's URL query; invalid values are dropped rather than failing the page. */
export const catalogQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  domain: z.string().trim().min(1).optional().catch(undefined),
  status: z.enum(PRODUCT_STATUSES).optional().catch(undefined),
  tag: z.string().trim().toLowerCase().min(1).optional().catch(undefined),
  health: z.enum(HEALTH_STATUSES).optional().catch(undefined),
  /** keyword: every word must appear; meaning: ranked by discovery (meaning and keywords). */
  mode: z.enum(["keyword", "meaning"]).default("keyword").catch("keyword"),
  page: z.coerce.number().int().min(1).default(1).catch(1),
});
export type CatalogQuery = z.infer<typeof catalogQuerySchema>;
