import { outputFieldsOf, type InferenceRow } from "../db/inference";
import { endpointKind, type InferenceConfig } from "../mesh/inference";
import { withheldFields, withoutFields } from "../mesh/pii";
import type { ProductSchema } from "../validation/product";

/** A product's inference configuration as stored and shown: every optional part explicit (null, no labels). */
export type StoredConfig = InferenceConfig & { model: string | null; apiKeyEnv: string | null; labels: string[]; hostedPii: boolean };

/** The configuration with its optional parts made explicit: what is stored, audited and shown. */
export const normalized = (config: InferenceConfig): StoredConfig => ({
  endpoint: config.endpoint,
  model: config.model ?? null,
  apiKeyEnv: config.apiKeyEnv ?? null,
  instructions: config.instructions,
  outputFields: config.outputFields,
  labels: config.labels ?? [],
  hostedPii: config.hostedPii ?? false,
});

/** The configuration of a capability row. */
export const configOf = (row: InferenceRow): StoredConfig => normalized({ ...row, outputFields: outputFieldsOf(row) });

/** What the model is asked: a change re-versions the instructions, so a re-run re-transforms. */
export const askedOf = (config: InferenceConfig) =>
  JSON.stringify([config.endpoint, config.model ?? null, config.instructions, config.outputFields, config.labels ?? []]);

/**
 * What a model sees of a record: its fields except the primary key (an
 * identifier, not content); a hosted endpoint not allowed PII also without
 * the fields marked pii.
 */
export function modelInput(data: Record<string, unknown>, schema: ProductSchema, config: InferenceConfig): Record<string, unknown> {
  const { [schema.primaryKey]: _key, ...fields } = data;
  return withoutFields(fields, withheldFields(schema, endpointKind(config.endpoint) !== "hosted" || config.hostedPii === true));
}
