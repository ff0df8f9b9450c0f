import { z } from "zod";
import { LOCAL_ENDPOINTS, type LocalEndpoint, type OutputField } from "../validation/inference";
import type { ProductSchema } from "../validation/product";

/**
 * Rules of the AI inference capability: pure functions, no framework,
 * database or model. Which endpoints and output fields make sense, and how a
 * model's output is checked before it is merged. (How a record is framed for
 * a model is in lib/ai/prompts.ts; the offline models' decisions in
 * lib/ai/local/similarity.ts.)
 */

export type EndpointKind = LocalEndpoint | "hosted";

export function endpointKind(endpoint: string): EndpointKind {
  return (LOCAL_ENDPOINTS as readonly string[]).includes(endpoint) ? (endpoint as LocalEndpoint) : "hosted";
}

export interface InferenceConfig {
  endpoint: string;
  model?: string | null;
  apiKeyEnv?: string | null;
  instructions: string;
  outputFields: OutputField[];
  labels?: string[];
  /** Whether a hosted endpoint gets the fields marked pii too (local endpoints always read them). */
  hostedPii?: boolean;
}

/** What is wrong with a configuration for this product's schema, per input field. */
export function configProblems(schema: Pick<ProductSchema, "fields"> | { fields: { name: string }[] }, config: InferenceConfig): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  const schemaNames = new Set(schema.fields.map((field) => field.name));
  for (const field of config.outputFields) {
    if (schemaNames.has(field.name)) add("outputFields", `${field.name} is already a field of the product's schema: AI output never overwrites a record's own fields`);
  }
  const kind = endpointKind(config.endpoint);
  const strings = config.outputFields.filter((field) => field.type === "string");
  const numbers = config.outputFields.filter((field) => field.type === "number");
  if (kind === "local:classify") {
    if ((config.labels?.length ?? 0) < 2) add("labels", "local:classify needs at least two labels to choose from");
    if (strings.length !== 1 || config.outputFields.length !== strings.length + Math.min(numbers.length, 1) || numbers.length > 1) {
      add("outputFields", "local:classify fills one string field (the label) and optionally one number field (its similarity score)");
    }
  } else if (kind === "local:summarize") {
    if (strings.length !== 1 || config.outputFields.length !== 1) add("outputFields", "local:summarize fills exactly one string field (the summary)");
    if (config.labels?.length) add("labels", "Labels are used by local:classify only");
  } else {
    if (!/^https?:\/\//i.test(config.endpoint)) add("endpoint", 'Use "local:classify", "local:summarize", or the http(s) URL of an OpenAI-compatible API');
    if (!config.model) add("model", "Name the model served at the endpoint");
    if (config.labels?.length) add("labels", "Labels are used by local:classify only; describe the choices in the instructions");
  }
  if (kind !== "hosted") {
    if (config.model) add("model", "The built-in models take no model name");
    if (config.apiKeyEnv) add("apiKeyEnv", "The built-in models take no API key");
  }
  return problems;
}

/** Output field names that would collide with a new schema (checked when the schema changes). */
export function collidingOutputFields(schema: { fields: { name: string }[] }, outputFields: OutputField[]): string[] {
  const names = new Set(schema.fields.map((field) => field.name));
  return outputFields.filter((field) => names.has(field.name)).map((field) => field.name);
}

/** The zod schema of a model's output: exactly the declared fields, each of its type. */
export function outputSchema(fields: OutputField[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of fields) {
    const base =
      field.type === "string" ? z.string() : field.type === "integer" ? z.number().int() : field.type === "number" ? z.number() : z.boolean();
    shape[field.name] = field.description ? base.describe(field.description) : base;
  }
  return z.object(shape).strict();
}

export type OutputCheck = { ok: true; output: Record<string, string | number | boolean> } | { ok: false; problems: string[] };

/** Checks a model's output against the declared fields: every field present with its type, nothing else. */
export function checkOutput(fields: OutputField[], value: unknown): OutputCheck {
  const result = outputSchema(fields).safeParse(value);
  if (result.success) return { ok: true, output: result.data as Record<string, string | number | boolean> };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const path = issue.path.map(String).join(".");
      if (issue.code === "unrecognized_keys") return `unexpected field(s) ${issue.keys.join(", ")}`;
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
  };
}

/**
 * The record merged with AI output for reading: the record's own fields
 * always win (output names are checked not to collide, and this holds even
 * if a schema changed later).
 */
export function mergeOutput(data: Record<string, unknown>, output: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...data };
  for (const [name, value] of Object.entries(output ?? {})) if (!(name in data)) merged[name] = value;
  return merged;
}
