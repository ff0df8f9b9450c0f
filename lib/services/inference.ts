import { apiKeyProblem } from "../ai/inference";
import { requireDomainWriter, requireRead, type Actor } from "../auth/guard";
import {
  countCurrentOutputs,
  countStale,
  findInference,
  removeInference,
  saveInference,
  storeOutput,
  type InferenceRow,
} from "../db/inference";
import { getProduct } from "../db/products";
import { countRecords, findRecord } from "../db/records";
import { env } from "../env";
import { AppError } from "../errors";
import { cancelBatch, startBatch } from "../inference/batch";
import { askedOf, configOf, modelInput, normalized } from "../inference/config";
import { runTransform } from "../inference/transform";
import { configProblems, endpointKind, mergeOutput, type InferenceConfig } from "../mesh/inference";
import { checkRecord } from "../mesh/records";
import { resolveSafely, type Resolver } from "../net/safe-fetch";
import type { ProductRef } from "../paths";
import type { InferenceInput, InferenceStatus, RunInput, TransformInput, TransformResult } from "../validation/inference";

/**
 * The AI inference capability: configure, follow, disable, transform one
 * record, and apply to all records (the background runner is lib/inference).
 */

const limits = () => ({ maxRecordsPerRun: env().INFERENCE_MAX_RECORDS_PER_RUN, maxConcurrency: env().INFERENCE_MAX_CONCURRENCY });

/** `recordCount` when the caller has it, as for semanticSearchStatusOf. */
export async function inferenceStatusOf(productId: string, recordCount?: number): Promise<InferenceStatus> {
  const [row, records] = await Promise.all([findInference(productId), recordCount ?? countRecords(productId)]);
  if (!row) {
    return {
      enabled: false,
      endpoint: null,
      model: null,
      apiKeyEnv: null,
      instructions: "",
      outputFields: [],
      labels: [],
      hostedPii: false,
      version: 0,
      enriched: 0,
      records,
      run: { status: null, processed: 0, failed: 0, total: 0, startedAt: null, finishedAt: null },
      limits: limits(),
    };
  }
  return {
    enabled: true,
    ...configOf(row),
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

export async function inferenceStatus(reader: Actor | null, { domain, name }: ProductRef): Promise<InferenceStatus> {
  requireRead(reader);
  return inferenceStatusOf((await getProduct(domain, name)).id);
}

const auditView = (config: InferenceConfig | null) => config && normalized(config);

/**
 * Enables inference or changes its configuration. Hosted endpoints are
 * checked against the SSRF rules (resolved, never connected to): a refused
 * one is a 422 naming the reason.
 */
export async function enableInference(
  actor: Actor,
  { domain, name }: ProductRef,
  input: InferenceInput,
  options: { resolver?: Resolver } = {},
): Promise<{ changed: boolean; status: InferenceStatus }> {
  requireDomainWriter(actor, domain);
  const config: InferenceConfig = { ...input, labels: input.labels ?? [] };
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
export async function disableInference(actor: Actor, { domain, name }: ProductRef): Promise<void> {
  requireDomainWriter(actor, domain);
  const product = await getProduct(domain, name);
  const current = await findInference(product.id);
  await cancelBatch(product.id);
  await removeInference(product.id, { actor, domain, name, changes: { inference: { from: current ? auditView(configOf(current)) : null, to: null } } });
}

async function requireConfig(productId: string, domain: string, name: string): Promise<InferenceRow> {
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
export async function transformRecord(actor: Actor, { domain, name }: ProductRef, body: TransformInput): Promise<TransformResult> {
  requireDomainWriter(actor, domain);
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
  const { output, model, durationMs } = await runTransform(product.id, config, modelInput(data, product.schema, config));
  const result: TransformResult = { record: mergeOutput(data, output), output, model, durationMs, stored: key !== null };
  if (key !== null) result.lineage = await storeOutput(product.id, key, output, { model, endpoint: config.endpoint, version: row.version, durationMs });
  return result;
}

/**
 * "Apply to all records": transforms, in the background, every record whose
 * output is missing or stale, at most INFERENCE_MAX_RECORDS_PER_RUN; follow
 * it with the status.
 */
export async function startInferenceRun(actor: Actor, { domain, name }: ProductRef, { force = false }: RunInput): Promise<InferenceStatus> {
  requireDomainWriter(actor, domain);
  const product = await getProduct(domain, name);
  const row = await requireConfig(product.id, domain, name);
  if (row.runStatus === "running") throw new AppError("conflict", `A run is already transforming ${domain}/${name}; cancel it first`);
  const total = Math.min(await countStale(product.id, row.version, force), env().INFERENCE_MAX_RECORDS_PER_RUN);
  await startBatch(product.id, total, force);
  return inferenceStatusOf(product.id);
}

/** Cancels the running run; records already transformed keep their output. */
export async function cancelInferenceRun(actor: Actor, { domain, name }: ProductRef): Promise<InferenceStatus> {
  requireDomainWriter(actor, domain);
  const product = await getProduct(domain, name);
  await requireConfig(product.id, domain, name);
  await cancelBatch(product.id);
  return inferenceStatusOf(product.id);
}
