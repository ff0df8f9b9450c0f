import { z } from "zod";
import { productOutputSchema, productSchemaSchema } from "./product";

/**
 * Contracts as code: schema versions, and the import of Open Data Product
 * Standard (ODPS) and Open Data Contract Standard (ODCS) documents. The
 * documents themselves are checked by lib/mesh/contracts (with YAML paths).
 */

export const schemaChangeSchema = z
  .object({
    kind: z.enum([
      "field_added",
      "field_removed",
      "field_renamed",
      "type_widened",
      "type_changed",
      "made_required",
      "made_optional",
      "required_field_added",
      "primary_key_changed",
      "description_changed",
      "pii_changed",
      "fields_reordered",
    ]),
    field: z.string().optional(),
    breaking: z.boolean(),
    message: z.string(),
  })
  .describe("One difference between two schema versions");

export const schemaVersionSummarySchema = z.object({
  number: z.number().int().describe("1 for the schema the product was registered with, then one more per schema change"),
  productVersion: z.string().describe("The product's version when this schema was saved"),
  breaking: z.boolean().describe("Whether any change from the previous version is breaking"),
  changes: z.array(schemaChangeSchema).describe("The changes from the previous version, breaking first"),
  actorEmail: z.string(),
  createdAt: z.iso.datetime(),
});

export const schemaVersionSchema = schemaVersionSummarySchema.extend({ schema: productSchemaSchema });
export const schemaVersionListSchema = z.object({ versions: z.array(schemaVersionSummarySchema).describe("Newest first") });

export const schemaVersionNumberSchema = z.coerce
  .number({ error: "The schema version is a whole number" })
  .int("The schema version is a whole number")
  .min(1, "Schema versions start at 1");

const flag = z
  .enum(["true", "false", "1", "0"], { error: "Use true or false" })
  .transform((value) => value === "true" || value === "1");

/** POST /api/products/import: query string (or multipart fields of the same names). */
export const importOptionsSchema = z.object({
  dryRun: flag.default(false).describe("true: report what would change, store nothing"),
  domain: z.string().trim().min(1).optional().describe("Import into this domain instead of the document's"),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export const importNoteSchema = z.object({
  path: z.string().describe('YAML path in the document, e.g. "schema[0].properties[2].quality"'),
  message: z.string(),
});

export const importResultSchema = z.object({
  dryRun: z.boolean(),
  action: z.enum(["create", "update", "unchanged"]),
  domain: z.string(),
  name: z.string(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })).describe("Product fields that change"),
  schemaChanges: z.array(schemaChangeSchema).describe("Schema changes against the stored product (empty when created)"),
  conflicts: z.array(z.string()).describe("Why the import would be refused although the documents are valid (breaking change without a new major version, stored records); dry runs report them"),
  notes: z.array(importNoteSchema).describe("What was adjusted or could not be represented, by YAML path"),
  product: productOutputSchema.optional().describe("The stored product, unless a dry run"),
});
export type ImportNote = z.infer<typeof importNoteSchema>;
export type SchemaVersionView = z.infer<typeof schemaVersionSchema>;
export type ImportResultView = z.infer<typeof importResultSchema>;
