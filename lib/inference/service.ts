import { apiKeyProblem } from "../ai/inference";
import { requireDomainWriter, type Actor } from "../auth/guard";
import { countRecords } from "../db/semantic-search";
import {
  countCurrentOutputs,
  findInference,
  findOutput,
  outputFieldsOf,
  removeInference,
  saveInference,
  storeOutput,
  type InferenceRow,
} from "../db/inference";
import { getProduct } from "../db/products";
import { findRecord } from "../db/records";
import { env } from "../env";
import { AppError, parseOrThrow } from "../errors";
import { configProblems, endpointKind, mergeOutput, type InferenceConfig } from "../mesh/inference";
import { checkRecord } from "../mesh/records";
import { resolveSafely, type Resolver } from "../net/safe-fetch";
import {
  inferenceInputSchema,
  transformInputSchema,
  type InferenceStatus,
  type TransformResult,
} from "../validation/inference";
import { cancelBatch } from "./batch";
import { runTransform } from "./transform";

/** The AI inference capability: configure, follow, disable, and transform one record. */

export const configOf = (row: InferenceRow): InferenceConfig => ({
  endpoint: row.endpoint,
  model: row.model,
  apiKeyEnv: row.apiKeyEnv,
  instructions: row.instructions,
  outputFields: outputFieldsOf(row),
  labels: row.labels,
});

const limits = () => ({ maxRecordsPerRun: env().INFERENCE_MAX_RECORDS_PER_RUN, maxConcurrency: env().INFERENCE_MAX_CONCURRENCY });

export async function inferenceStatusOf(productId: string): Promise<InferenceStatus> {
  const [row, records] = await Promise.all([findInference(productId), countRecords(productId)]);
  if (!row) {
    return {
      enabled: false,
      endpoint: null,
      model: null,
      apiKeyEnv: null,
      instructions: "",
      outputFields: [],
      labels: [],
      version: 0,
      enriched: 0,
      records,
      run: { status: null, processed: 0, failed: 0, total: 0, startedAt: null, finishedAt: null },
      limits: limits(),
    };
  }
  return {
    enabled: true,
    endpoint: row.endpoint,
    model: row.model,
    apiKeyEnv: row.apiKeyEnv,
    instructions: row.instructions,
    outputFields: outputFieldsOf(row),
    labels: row.labels,
    version: row.version,
    enriched: await countCurrentOutputs(productId, row.version),
    records,
    run: {
      status: row.runStatus as InferenceStatus["run"]["status"],
      processed: row.runProcessed,
      failed: row.runFailed,
      total: row.runTotal,
      ...(row.runError ? { error: row.runError } : {}),
      startedAt: row.runStartedAt?.toISOString() ?? null,
      finishedAt: row.runFinishedAt?.toISOString() ?? null,
    },
    limits: limits(),
  };
}

export async function inferenceStatus(domain: string, name: string): Promise<InferenceStatus> {
  return inferenceStatusOf((await getProduct(domain, name)).id);
}

const auditView = (config: InferenceConfig | null) =>
  config && {
    endpoint: config.endpoint,
    model: config.model ?? null,
    apiKeyEnv: config.apiKeyEnv ?? null,
    instructions: config.instructions,
    outputFields: config.outputFields,
    labels: config.labels ?? [],
  };

/** What the model is asked: a change re-versions the instructions, so a re-run re-transforms. */
const askedOf = (config: InferenceConfig) =>
  JSON.stringify([config.endpoint, config.model ?? null, config.instructions, config.outputFields, config.labels ?? []]);

/**
 * Enables inference or changes its configuration. Hosted endpoints are
 * checked against the SSRF rules (resolved, never connected to): a refused
 * one is a 422 naming the reason.
 */
export async function enableInference(
  actor: Actor,
  domain: string,
  name: string,
  input: unknown,
  options: { resolver?: Resolver } = {},
): Promise<{ changed: boolean; status: InferenceStatus }> {
  requireDomainWriter(actor, domain);
  const parsed = parseOrThrow(inferenceInputSchema, input);
  const config: InferenceConfig = { ...parsed, labels: parsed.labels ?? [] };
  const product = await getProduct(domain, name);
  const problems = configProblems(product.schema, config);
  if (Object.keys(problems).length) throw new AppError("validation", `Cannot enable inference: ${Object.values(problems).flat().join("; ")}`, problems);
  if (endpointKind(config.endpoint) === "hosted") {
    await resolveSafely(config.endpoint, { allowedHosts: env().INFERENCE_ALLOWED_HOSTS, resolver: options.resolver });
    const keyProblem = apiKeyProblem(config.apiKeyEnv);
    if (keyProblem) throw new AppError("validation", `Cannot enable inference: ${keyProblem}`, { apiKeyEnv: [keyProblem] });
  }
  const current = await findInference(product.id);
  const before = current ? configOf(current) : null;
  if (before && JSON.stringify(auditView(before)) === JSON.stringify(auditView(config))) {
    return { changed: false, status: await inferenceStatusOf(product.id) };
  }
  await saveInference(product.id, config, before !== null && askedOf(before) !== askedOf(config), {
    actor,
    domain,
    name,
    changes: { inference: { from: auditView(before), to: auditView(config) } },
  });
  return { changed: true, status: await inferenceStatusOf(product.id) };
}

/** Disables inference: cancels a run and deletes the configuration and every stored AI output. */
export async function disableInference(actor: Actor, domain: string, name: string): Promise<void> {
  requireDomainWriter(actor, domain);
  const product = await getProduct(domain, name);
  const current = await findInference(product.id);
  await cancelBatch(product.id);
  await removeInference(product.id, { actor, domain, name, changes: { inference: { from: current ? auditView(configOf(current)) : null, to: null } } });
}

export async function requireConfig(productId: string, domain: string, name: string): Promise<InferenceRow> {
  const row = await findInference(productId);
  if (!row) throw new AppError("conflict", `AI inference is not enabled for ${domain}/${name}; its owner can enable it on the product page.`);
  return row;
}

/**
 * Transforms one record. `{ key }`: the stored record; the output is stored
 * on it with lineage (replacing an earlier one). `{ record }`: a record given
 * in the body, checked against the schema; the output is computed, not
 * stored. Both call the owner's model, so both need write rights.
 */
export async function transformRecord(actor: Actor, domain: string, name: string, input: unknown): Promise<TransformResult> {
  requireDomainWriter(actor, domain);
  const body = parseOrThrow(transformInputSchema, input);
  const product = await getProduct(domain, name);
  const row = await requireConfig(product.id, domain, name);
  const config = configOf(row);
  let key: string | null = null;
  let data: Record<string, unknown>;
  if ("key" in body) {
    const record = await findRecord(product.id, body.key);
    if (!record) throw new AppError("not_found", `No record ${body.key} in ${domain}/${name}`);
    key = record.key;
    data = record.data;
  } else {
    const checked = checkRecord(product.schema, body.record, "json");
    if (!checked.ok) {
      throw new AppError("validation", "The record does not match the product's schema", Object.fromEntries(checked.errors.map((e) => [`record.${e.field}`, [e.message]])));
    }
    data = checked.data;
  }
  const { output, model, durationMs } = await runTransform(product.id, config, modelInput(data, product.schema.primaryKey));
  const result: TransformResult = { record: mergeOutput(data, output), output, model, durationMs, stored: key !== null };
  if (key !== null) result.lineage = await storeOutput(product.id, key, output, { model, endpoint: config.endpoint, version: row.version, durationMs });
  return result;
}

/** What a model sees of a record: its fields except the primary key (an identifier, not content). */
export function modelInput(data: Record<string, unknown>, primaryKey: string): Record<string, unknown> {
  const { [primaryKey]: _key, ...fields } = data;
  return fields;
}

/** A stored record with its AI output merged (record fields win), for reading. */
export async function recordWithOutput(productId: string, key: string) {
  const [record, ai] = await Promise.all([findRecord(productId, key), findOutput(productId, key)]);
  if (!record) return null;
  return { ...record, ai: ai ?? null, merged: mergeOutput(record.data, ai?.output) };
}
