import { requireDomainWriter, type Actor } from "../auth/guard";
import { cancelRun, countStale, findInference, staleKeys, startRun, storeOutput, updateRun } from "../db/inference";
import { db } from "../db/client";
import { recordsByKeys } from "../db/records";
import { getProduct } from "../db/products";
import { env } from "../env";
import { AppError, parseOrThrow } from "../errors";
import { mapLimit } from "../mesh/inference";
import { runInputSchema, type InferenceStatus } from "../validation/inference";
import { configOf, inferenceStatusOf, modelInput, requireConfig } from "./service";
import { runTransform } from "./transform";

/**
 * "Apply to all records": transforms, in the background, every record whose
 * output is missing or stale (older instructions version, or the record
 * changed since), at most INFERENCE_MAX_RECORDS_PER_RUN, with at most
 * INFERENCE_MAX_CONCURRENCY calls at once; progress is stored on the
 * capability row. A run is cancelled by bumping its generation (the job
 * checks it after every record) and aborting its calls. Re-running is
 * idempotent: records already current are skipped, outputs are replaced.
 */

const PAGE = 50;
/** A run stops as failed after this many failures in a row without a success (the endpoint is down). */
const MAX_FAILURES_IN_A_ROW = 10;

type Job = { generation: number; abort: AbortController; done: Promise<void> };
const holder = globalThis as unknown as { meshPortalInferenceJobs?: Map<string, Job> };
const jobs = (holder.meshPortalInferenceJobs ??= new Map());

export async function startBatch(actor: Actor, domain: string, name: string, input: unknown): Promise<InferenceStatus> {
  requireDomainWriter(actor, domain);
  const { force = false } = parseOrThrow(runInputSchema, input ?? {});
  const product = await getProduct(domain, name);
  const row = await requireConfig(product.id, domain, name);
  if (row.runStatus === "running") throw new AppError("conflict", `A run is already transforming ${domain}/${name}; cancel it first`);
  const total = Math.min(await countStale(product.id, row.version, force), env().INFERENCE_MAX_RECORDS_PER_RUN);
  const generation = await startRun(product.id, total);
  const job: Job = { generation, abort: new AbortController(), done: Promise.resolve() };
  job.done = runJob(product.id, job, total, force).finally(() => {
    if (jobs.get(product.id) === job) jobs.delete(product.id);
  });
  jobs.set(product.id, job);
  return inferenceStatusOf(product.id);
}

export async function cancelBatchAs(actor: Actor, domain: string, name: string): Promise<InferenceStatus> {
  requireDomainWriter(actor, domain);
  const product = await getProduct(domain, name);
  await requireConfig(product.id, domain, name);
  await cancelBatch(product.id);
  return inferenceStatusOf(product.id);
}

/** Stops a product's run, if one is running. */
export async function cancelBatch(productId: string): Promise<void> {
  await cancelRun(productId);
  jobs.get(productId)?.abort.abort(new Error("cancelled"));
}

/** Waits for a product's running job (tests). */
export function batchDone(productId: string): Promise<void> {
  return jobs.get(productId)?.done ?? Promise.resolve();
}

async function runJob(productId: string, job: Job, total: number, force: boolean): Promise<void> {
  const { generation } = job;
  let processed = 0;
  let failed = 0;
  let inARow = 0;
  let lastError: string | null = null;
  let after: string | null = null;
  try {
    const row = await findInference(productId);
    const product = row ? await getProductById(productId) : null;
    if (!row || !product) return;
    const config = configOf(row);
    while (processed + failed < total) {
      const keys = await staleKeys(productId, row.version, { force, after, limit: Math.min(PAGE, total - processed - failed) });
      if (keys.length === 0) break;
      after = keys.at(-1)!;
      const records = await recordsByKeys(productId, keys);
      let stopped = false;
      await mapLimit(keys, env().INFERENCE_MAX_CONCURRENCY, async (key) => {
        if (stopped || job.abort.signal.aborted) return;
        const record = records.get(key);
        if (!record) return;
        try {
          const { output, model, durationMs } = await runTransform(productId, config, modelInput(record.data, product.primaryKey), job.abort.signal);
          if (job.abort.signal.aborted) return;
          await storeOutput(productId, key, output, { model, endpoint: config.endpoint, version: row.version, durationMs });
          processed++;
          inARow = 0;
        } catch (error) {
          if (job.abort.signal.aborted) return;
          failed++;
          inARow++;
          lastError = `${key}: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (!(await updateRun(productId, generation, { runProcessed: processed, runFailed: failed, runError: lastError }))) stopped = true;
        if (inARow >= MAX_FAILURES_IN_A_ROW) stopped = true;
      });
      if (job.abort.signal.aborted || stopped) break;
    }
    if (inARow >= MAX_FAILURES_IN_A_ROW) {
      await updateRun(productId, generation, { runStatus: "failed", runProcessed: processed, runFailed: failed, runError: `Stopped after ${inARow} failures in a row; last: ${lastError}`, finished: true });
      return;
    }
    await updateRun(productId, generation, { runStatus: "done", runProcessed: processed, runFailed: failed, runError: lastError, finished: true });
  } catch (error) {
    console.error(`Inference run of product ${productId} failed:`, error);
    await updateRun(productId, generation, { runStatus: "failed", runError: error instanceof Error ? error.message : String(error), finished: true }).catch(() => undefined);
  }
}

async function getProductById(productId: string): Promise<{ primaryKey: string } | null> {
  const row = await db().product.findUnique({ where: { id: productId }, select: { schema: true } });
  return row ? { primaryKey: (row.schema as { primaryKey: string }).primaryKey } : null;
}
