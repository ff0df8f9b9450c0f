import "server-only";
import type { InferenceConfig } from "../mesh/inference";
import type { Lineage, OutputField } from "../validation/inference";
import { writeAudit, type CapabilityAudit } from "./audit";
import { db } from "./client";
import type { Prisma } from "./generated/client";

/** The inference capability rows and the per-record AI outputs with their lineage. */

export type InferenceRow = NonNullable<Awaited<ReturnType<typeof findInference>>>;

export function findInference(productId: string) {
  return db().inference.findUnique({ where: { productId } });
}

export const outputFieldsOf = (row: { outputFields: unknown }) => row.outputFields as OutputField[];

/** Enables or reconfigures inference; bumps the version when what the model is asked changes. Audited in the transaction. */
export async function saveInference(productId: string, config: InferenceConfig, changed: boolean, audit: CapabilityAudit): Promise<InferenceRow> {
  const data = {
    endpoint: config.endpoint,
    model: config.model ?? null,
    apiKeyEnv: config.apiKeyEnv ?? null,
    instructions: config.instructions,
    outputFields: config.outputFields as unknown as Prisma.InputJsonValue,
    labels: config.labels ?? [],
    hostedPii: config.hostedPii ?? false,
  };
  return db().$transaction(async (tx) => {
    const row = await tx.inference.upsert({
      where: { productId },
      create: { productId, ...data },
      update: { ...data, ...(changed ? { version: { increment: 1 } } : {}) },
    });
    await writeAudit(tx, audit.actor, { action: "capability.enabled", ...audit });
    return row;
  });
}

/** Disables inference: the capability row and every stored AI output go, audited in the same transaction. */
export async function removeInference(productId: string, audit: CapabilityAudit): Promise<void> {
  await db().$transaction(async (tx) => {
    const { count } = await tx.inference.deleteMany({ where: { productId } });
    await tx.recordAiOutput.deleteMany({ where: { productId } });
    if (count > 0) await writeAudit(tx, audit.actor, { action: "capability.disabled", ...audit });
  });
}

export async function storeOutput(
  productId: string,
  key: string,
  output: Record<string, unknown>,
  lineage: Omit<Lineage, "generatedAt">,
): Promise<Lineage> {
  const data = { output: output as Prisma.InputJsonValue, model: lineage.model, endpoint: lineage.endpoint, version: lineage.version, durationMs: lineage.durationMs, generatedAt: new Date() };
  const row = await db().recordAiOutput.upsert({
    where: { productId_key: { productId, key } },
    create: { productId, key, ...data },
    update: data,
  });
  return { ...lineage, generatedAt: row.generatedAt.toISOString() };
}

export interface StoredOutput {
  output: Record<string, unknown>;
  lineage: Lineage;
}

const toStored = (row: { output: unknown; model: string; endpoint: string; version: number; durationMs: number; generatedAt: Date }): StoredOutput => ({
  output: row.output as Record<string, unknown>,
  lineage: { model: row.model, endpoint: row.endpoint, version: row.version, durationMs: row.durationMs, generatedAt: row.generatedAt.toISOString() },
});

export async function findOutput(productId: string, key: string): Promise<StoredOutput | null> {
  const row = await db().recordAiOutput.findUnique({ where: { productId_key: { productId, key } } });
  return row ? toStored(row) : null;
}

/** Records with output of the current version that is newer than the record's last change. */
export async function countCurrentOutputs(productId: string, version: number): Promise<number> {
  const rows = await db().$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM record_ai_outputs o JOIN records r ON r.product_id = o.product_id AND r.key = o.key
    WHERE o.product_id = ${productId}::uuid AND o.version = ${version} AND o.generated_at >= r.updated_at`;
  return Number(rows[0]?.count ?? 0);
}

/**
 * Keys of records that need (re-)transforming, in key order after `after`:
 * no output, output of an older version, or the record changed since. With
 * `force`, all records.
 */
export async function staleKeys(productId: string, version: number, { force, after, limit }: { force: boolean; after: string | null; limit: number }): Promise<string[]> {
  const rows = await db().$queryRaw<{ key: string }[]>`
    SELECT r.key FROM records r LEFT JOIN record_ai_outputs o ON o.product_id = r.product_id AND o.key = r.key
    WHERE r.product_id = ${productId}::uuid
      AND (${after}::text IS NULL OR r.key > ${after}::text)
      AND (${force} OR o.key IS NULL OR o.version <> ${version} OR o.generated_at < r.updated_at)
    ORDER BY r.key LIMIT ${limit}`;
  return rows.map((row) => row.key);
}

export async function countStale(productId: string, version: number, force: boolean): Promise<number> {
  const rows = await db().$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM records r LEFT JOIN record_ai_outputs o ON o.product_id = r.product_id AND o.key = r.key
    WHERE r.product_id = ${productId}::uuid AND (${force} OR o.key IS NULL OR o.version <> ${version} OR o.generated_at < r.updated_at)`;
  return Number(rows[0]?.count ?? 0);
}

/** Starts a run: bumps the run generation, so that a running job of an older one stops. */
export async function startRun(productId: string, total: number, force: boolean): Promise<void> {
  await db().inference.update({
    where: { productId },
    data: { runStatus: "running", runGeneration: { increment: 1 }, runProcessed: 0, runFailed: 0, runTotal: total, runForce: force, runError: null, runStartedAt: new Date(), runFinishedAt: null },
  });
}

/** Updates a run only if `generation` is still current (not cancelled or restarted); returns whether it was. */
export async function updateRun(
  productId: string,
  generation: number,
  data: { runStatus?: "running" | "done" | "cancelled" | "failed"; runProcessed?: number; runFailed?: number; runError?: string | null; finished?: boolean },
): Promise<boolean> {
  const { finished, ...rest } = data;
  const { count } = await db().inference.updateMany({
    where: { productId, runGeneration: generation, runStatus: "running" },
    data: { ...rest, ...(finished ? { runFinishedAt: new Date() } : {}) },
  });
  return count > 0;
}

/** Cancels the running run (if any): bumps the generation so its job stops. Returns whether one was running. */
export async function cancelRun(productId: string): Promise<boolean> {
  const { count } = await db().inference.updateMany({
    where: { productId, runStatus: "running" },
    data: { runStatus: "cancelled", runGeneration: { increment: 1 }, runFinishedAt: new Date() },
  });
  return count > 0;
}

/**
 * Runs left "running" without a live lease (job kind "inference-runs") by a
 * server that stopped or died: marked failed. A run's lease is claimed just
 * after it starts, so only runs older than a lease are looked at.
 */
export async function failInterruptedRuns(leaseSeconds: number): Promise<number> {
  return db().$executeRaw`
    UPDATE inference SET run_status = 'failed', run_error = 'The server stopped during the run; start it again', run_finished_at = now()
    WHERE run_status = 'running' AND run_started_at < now() - ${leaseSeconds}::int * interval '1 second'
      AND NOT EXISTS (SELECT 1 FROM job_leases l WHERE l.kind = 'inference-runs' AND l.key = inference.product_id::text AND l.expires_at > now())`;
}
