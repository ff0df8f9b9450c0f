// lib/inference: the AI inference engine: one checked transformation, configuration, the background batch runner.
import { cancelRun, findInference, staleKeys, startRun, storeOutput, updateRun } from "../db/inference";
import { productSchemaOf } from "../db/products";
import { recordsByKeys } from "../db/records";
import { env } from "../env";
import { mapLimit } from "../runtime/concurrency";
import { JobRegistry, type Job } from "../runtime/jobs";
import { configOf, modelInput } from "./config";
import { runTransform } from "./transform";

/**
 * "Apply to all records": transforms, in the background, every record whose
 * output is missing or stale (older instructions version, or the record
 * changed since), at most INFERENCE_MAX_RECORDS_PER_RUN, with at most
 * INFERENCE_MAX_CONCURRENCY calls at once; progress is stored on the
 * capability row. A run is cancelled by bumping its generation (the job
 * checks it after every record) and aborting its calls. Re-running is
 * idempotent: records already current are skipped, outputs are replaced.
 * The run's job is claimed in the database (lib/runtime/jobs.ts): one server
 * runs it, whichever one it was started or cancelled on; a run whose server
 * died is marked failed by `failInterruptedRuns` (it is not resumed: it calls
 * models, maybe paid ones).
 */

const PAGE = 50;
/** A run stops as failed after this many failures in a row without a success (the endpoint is down). */
const MAX_FAILURES_IN_A_ROW = 10;

const jobs = new JobRegistry("inference-runs");

/** Starts a run over `total` records in the background (a running one stops first): the stored run state follows it. */
export async function startBatch(productId: string, total: number, force: boolean): Promise<void> {
  await startRun(productId, total, force);
  jobs.abort(productId, new Error("restarted"));
  void jobs.request(productId, (job) => runJob(productId, job));
}

/** Stops a product's run, if one is running. */
export async function cancelBatch(productId: string): Promise<void> {
  await cancelRun(productId);
  jobs.abort(productId, new Error("cancelled"));
}

/** Waits for a product's running job (tests). */
export function batchDone(productId: string): Promise<void> {
  return jobs.done(productId);
}

/** Runs the product's current run, if it is running (a round of the product's job). */
async function runJob(productId: string, job: Job): Promise<void> {
  const row = await findInference(productId);
  if (row?.runStatus !== "running") return;
  const { runGeneration: generation, runTotal: total, runForce: force } = row;
  let processed = 0;
  let failed = 0;
  let inARow = 0;
  let lastError: string | null = null;
  let after: string | null = null;
  try {
    const schema = await productSchemaOf(productId);
    if (!schema) return;
    const config = configOf(row);
    while (processed + failed < total) {
      const keys = await staleKeys(productId, row.version, { force, after, limit: Math.min(PAGE, total - processed - failed) });
      if (keys.length === 0) break;
      after = keys.at(-1)!;
      const records = await recordsByKeys(productId, keys);
      let stopped = false;
      await mapLimit(keys, env().INFERENCE_MAX_CONCURRENCY, async (key) => {
        if (stopped || job.signal.aborted) return;
        const record = records.get(key);
        if (!record) return;
        try {
          const { output, model, durationMs } = await runTransform(productId, config, modelInput(record.data, schema, config), job.signal);
          if (job.signal.aborted) return;
          await storeOutput(productId, key, output, { model, endpoint: config.endpoint, version: row.version, durationMs });
          processed++;
          inARow = 0;
        } catch (error) {
          if (job.signal.aborted) return;
          failed++;
          inARow++;
          lastError = `${key}: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (!(await updateRun(productId, generation, { runProcessed: processed, runFailed: failed, runError: lastError }))) stopped = true;
        if (inARow >= MAX_FAILURES_IN_A_ROW) stopped = true;
      });
      if (job.signal.aborted || stopped) break;
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
