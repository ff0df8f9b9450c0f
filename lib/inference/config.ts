import { outputFieldsOf, type InferenceRow } from "../db/inference";
import type { InferenceConfig } from "../mesh/inference";

/** A product's inference configuration as stored and shown: every optional part explicit (null, no labels). */
export type StoredConfig = InferenceConfig & { model: string | null; apiKeyEnv: string | null; labels: string[] };

/** The configuration with its optional parts made explicit: what is stored, audited and shown. */
export const normalized = (config: InferenceConfig): StoredConfig => ({
  endpoint: config.endpoint,
  model: config.model ?? null,
  apiKeyEnv: config.apiKeyEnv ?? null,
  instructions: config.instructions,
  outputFields: config.outputFields,
  labels: config.labels ?? [],
});

/** The configuration of a capability row. */
export const configOf = (row: InferenceRow): StoredConfig => normalized({ ...row, outputFields: outputFieldsOf(row) });

/** What the model is asked: a change re-versions the instructions, so a re-run re-transforms. */
export const askedOf = (config: InferenceConfig) =>
  JSON.stringify([config.endpoint, config.model ?? null, config.instructions, config.outputFields, config.labels ?? []]);

/** What a model sees of a record: its fields except the primary key (an identifier, not content). */
export function modelInput(data: Record<string, unknown>, primaryKey: string): Record<string, unknown> {
  const { [primaryKey]: _key, ...fields } = data;
  return fields;
}
