import { outputFieldsOf, type InferenceRow } from "../db/inference";
import { endpointKind, type InferenceConfig } from "../mesh/inference";
import { withheldFields, withoutFields } from "../mesh/pii";
import type { ProductSchema } from "../validation/product";

/** A product's inference configuration as the runner and the use cases read it from its row. */

export const configOf = (row: InferenceRow): InferenceConfig => ({
  endpoint: row.endpoint,
  model: row.model,
  apiKeyEnv: row.apiKeyEnv,
  instructions: row.instructions,
  outputFields: outputFieldsOf(row),
  labels: row.labels,
  hostedPii: row.hostedPii,
});

/**
 * What a model sees of a record: its fields except the primary key (an
 * identifier, not content); a hosted endpoint not allowed PII also without
 * the fields marked pii.
 */
export function modelInput(data: Record<string, unknown>, schema: ProductSchema, config: InferenceConfig): Record<string, unknown> {
  const { [schema.primaryKey]: _key, ...fields } = data;
  return withoutFields(fields, withheldFields(schema, endpointKind(config.endpoint) !== "hosted" || config.hostedPii === true));
}
