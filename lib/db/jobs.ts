import "server-only";
import { db } from "./client";

/**
 * Leases on background jobs (the job_leases table): which server process
 * runs the job of a kind and key (indexing of a product, its inference run),
 * until when. Each call is one statement on the lease row, so concurrent
 * servers see one outcome; times are the database's clock, so the servers'
 * own clocks need not agree.
 */

/** The kinds of background jobs: indexing a product's records, a product's inference run. */
export type JobKind = "indexing" | "inference-runs";

export interface LeaseRef {
  kind: JobKind;
  key: string;
  owner: string;
}

/**
 * Claims the job for `owner` when it is free, expired (its holder died) or
 * already `owner`'s; otherwise asks its live holder to look for work once
 * more before it ends. Returns whether `owner` holds it now.
 */
export async function claimJob({ kind, key, owner }: LeaseRef, seconds: number): Promise<boolean> {
  const [row] = await db().$queryRaw<{ owner: string }[]>`
    INSERT INTO job_leases (kind, key, owner, expires_at) VALUES (${kind}, ${key}, ${owner}, now() + ${seconds}::int * interval '1 second')
    ON CONFLICT (kind, key) DO UPDATE SET
      owner = CASE WHEN job_leases.expires_at <= now() OR job_leases.owner = EXCLUDED.owner THEN EXCLUDED.owner ELSE job_leases.owner END,
      expires_at = CASE WHEN job_leases.expires_at <= now() OR job_leases.owner = EXCLUDED.owner THEN EXCLUDED.expires_at ELSE job_leases.expires_at END,
      again = NOT (job_leases.expires_at <= now() OR job_leases.owner = EXCLUDED.owner)
    RETURNING owner`;
  return row?.owner === owner;
}

/** Extends `owner`'s lease; false when it lost it (it expired and another server took the job). */
export async function renewJob({ kind, key, owner }: LeaseRef, seconds: number): Promise<boolean> {
  const renewed = await db().$executeRaw`
    UPDATE job_leases SET expires_at = now() + ${seconds}::int * interval '1 second'
    WHERE kind = ${kind} AND key = ${key} AND owner = ${owner}`;
  return renewed > 0;
}

/**
 * Ends `owner`'s job: "done" when nothing was asked of it meanwhile (the
 * lease is gone), "again" when a request came (the lease is kept and renewed,
 * the request taken), "lost" when another server holds the job now.
 */
export async function finishJob(lease: LeaseRef, seconds: number): Promise<"done" | "again" | "lost"> {
  const { kind, key, owner } = lease;
  const deleted = await db().$executeRaw`DELETE FROM job_leases WHERE kind = ${kind} AND key = ${key} AND owner = ${owner} AND NOT again`;
  if (deleted > 0) return "done";
  // Not deleted: a request set `again` meanwhile (or the lease is another's); the update tells which.
  const taken = await db().$executeRaw`
    UPDATE job_leases SET again = false, expires_at = now() + ${seconds}::int * interval '1 second'
    WHERE kind = ${kind} AND key = ${key} AND owner = ${owner} AND again`;
  return taken > 0 ? "again" : "lost";
}

/** Drops `owner`'s lease whatever was asked of it (the job failed or stopped). */
export async function releaseJob({ kind, key, owner }: LeaseRef): Promise<void> {
  await db().$executeRaw`DELETE FROM job_leases WHERE kind = ${kind} AND key = ${key} AND owner = ${owner}`;
}
