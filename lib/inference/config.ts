import { outputFieldsOf, type InferenceRow } from "../db/inference";
import type { InferenceConfig } from "../mesh/inference";

/** A product's inference configuration as the runner and the use cases read it from its row. */

export const configOf = (row: InferenceRow): InferenceConfig => ({
  endpoint: row.endpoint,
  model: row.model,
  apiKeyEnv: row.apiKeyEnv,
  instructions: row.instructions,
  outputFields: outputFieldsOf(row),
  labels: row.labels,
});

/** What a model sees of a record: its fields except the primary key (an identifier, not content). */
export function modelInput(data: Record<string, unknown>, primaryKey: string): Record<string, unknown> {
  const { [primaryKey]: _key, ...fields } = data;
  return fields;
}
