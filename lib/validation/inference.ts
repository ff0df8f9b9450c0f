import { z } from "zod";
import { isReservedName } from "../mesh/text";
import { reservedNameMessage } from "./product";

/** Inputs and outputs of the AI inference capability and of `transform`. */

export const OUTPUT_FIELD_TYPES = ["string", "integer", "number", "boolean"] as const;
export type OutputFieldType = (typeof OUTPUT_FIELD_TYPES)[number];

/** The built-in offline models (lib/ai/local/inference-models.ts). */
export const LOCAL_ENDPOINTS = ["local:classify", "local:summarize"] as const;
export type LocalEndpoint = (typeof LOCAL_ENDPOINTS)[number];

export const outputFieldSchema = z
  .object({
    name: z
      .string({ error: "Name the output field" })
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, "Output field names are lower-case letters, digits and _ (starting with a letter), at most 63 characters")
      .refine((name) => !isReservedName(name), { error: reservedNameMessage }),
    type: z.enum(OUTPUT_FIELD_TYPES, { error: `Type is one of ${OUTPUT_FIELD_TYPES.join(", ")}` }),
    description: z.string().trim().max(500, "At most 500 characters").optional(),
  })
  .strict();

export const inferenceInputSchema = z
  .object({
    endpoint: z
      .string({ error: 'Choose an endpoint: "local:classify", "local:summarize" or an http(s) URL' })
      .trim()
      .min(1, 'Choose an endpoint: "local:classify", "local:summarize" or an http(s) URL')
      .max(2000)
      .describe('"local:classify", "local:summarize", or the base URL of an OpenAI-compatible API'),
    model: z.string().trim().min(1).max(200).optional().describe("Model name at an OpenAI-compatible endpoint"),
    apiKeyEnv: z
      .string()
      .trim()
      .regex(/^[A-Z][A-Z0-9_]*$/, "The name of an environment variable, e.g. OPENAI_API_KEY")
      .optional()
      .describe("NAME of the server environment variable holding the API key (on INFERENCE_API_KEY_ENVS); never the key"),
    instructions: z
      .string({ error: "Write the instructions" })
      .trim()
      .min(1, "Write the instructions")
      .max(4000, "Instructions are at most 4000 characters"),
    outputFields: z
      .array(outputFieldSchema, { error: "Declare the output fields" })
      .min(1, "Declare at least one output field")
      .max(20, "At most 20 output fields")
      .refine((fields) => new Set(fields.map((field) => field.name)).size === fields.length, "Output field names must be unique"),
    labels: z
      .array(z.string().trim().min(1, "Labels are not empty").max(100, "Labels are at most 100 characters"))
      .max(50, "At most 50 labels")
      .refine((labels) => new Set(labels).size === labels.length, "Labels must be unique")
      .optional()
      .describe('Labels to choose from (required by "local:classify")'),
    hostedPii: z
      .boolean()
      .optional()
      .describe("Send the fields marked PII to a hosted endpoint too (off: they are withheld; local endpoints always read them)"),
  })
  .strict()
  .describe("Enables (or reconfigures) AI inference of a product");

export const INFERENCE_RUN_STATUSES = ["running", "done", "cancelled", "failed"] as const;

export const inferenceRunSchema = z.object({
  status: z.enum(INFERENCE_RUN_STATUSES).nullable().describe("null before the first run"),
  processed: z.number().int().describe("Records transformed in this run"),
  failed: z.number().int().describe("Records whose transformation failed in this run"),
  total: z.number().int().describe("Records this run will transform (the stale or missing ones, up to the limit)"),
  error: z.string().optional().describe("Why the run failed, or the last record's error"),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const inferenceStatusSchema = z
  .object({
    enabled: z.boolean(),
    endpoint: z.string().nullable(),
    model: z.string().nullable(),
    apiKeyEnv: z.string().nullable(),
    instructions: z.string(),
    outputFields: z.array(outputFieldSchema),
    labels: z.array(z.string()),
    hostedPii: z.boolean().describe("Whether fields marked PII are sent to a hosted endpoint"),
    version: z.number().int().describe("Instructions version: bumped when the instructions, fields, labels or endpoint change"),
    enriched: z.number().int().describe("Records with output of the current version"),
    records: z.number().int().describe("Records the product holds"),
    run: inferenceRunSchema,
    limits: z.object({ maxRecordsPerRun: z.number().int(), maxConcurrency: z.number().int() }),
  })
  .describe("State of a product's AI inference");

export const transformInputSchema = z
  .union([
    z.object({ key: z.string().min(1, "key is empty") }).strict(),
    z.object({ record: z.record(z.string(), z.unknown()) }).strict(),
  ], { error: "Send { key } of a stored record, or { record } with the record's fields" })
  .describe("{ key }: transforms the stored record and stores the output with lineage; { record }: computes only, stores nothing");

export const lineageSchema = z.object({
  model: z.string(),
  endpoint: z.string(),
  version: z.number().int(),
  generatedAt: z.string(),
  durationMs: z.number().int(),
});

export const transformResultSchema = z.object({
  record: z.record(z.string(), z.unknown()).describe("The record's own fields merged with the AI output"),
  output: z.record(z.string(), z.unknown()).describe("The model's output, validated against the declared output fields"),
  model: z.string(),
  durationMs: z.number().int(),
  stored: z.boolean().describe("Whether the output was stored on the record ({ key })"),
  lineage: lineageSchema.optional(),
});

export const runInputSchema = z
  .object({ force: z.boolean().optional().describe("Transform every record again, not only the stale or missing ones") })
  .strict();

export type OutputField = z.infer<typeof outputFieldSchema>;
export type InferenceInput = z.infer<typeof inferenceInputSchema>;
export type InferenceStatus = z.infer<typeof inferenceStatusSchema>;
export type InferenceRun = z.infer<typeof inferenceRunSchema>;
export type TransformResult = z.infer<typeof transformResultSchema>;
export type Lineage = z.infer<typeof lineageSchema>;
export type TransformInput = z.infer<typeof transformInputSchema>;
export type RunInput = z.infer<typeof runInputSchema>;
