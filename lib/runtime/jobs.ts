import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { claimJob, finishJob, releaseJob, renewJob, type JobKind, type LeaseRef } from "../db/jobs";
import { env } from "../env";
import { processSingleton } from "./singleton";

/**
 * Background jobs of one kind (indexing, inference runs), at most one per key
 * (a product) among all the servers sharing the database: a job runs on the
 * server whose lease it holds in the database (lib/db/jobs.ts), renewed
 * every third of JOB_LEASE_SECONDS while it runs and dropped at its end; a
 * job whose server died is taken over by the next request for it once its
 * lease expired (the startup sweeps request what is left to do).
 *
 * A job's lasting state (its generation and progress) is in the database too:
 * the job re-reads it as it goes, so a reconfiguration or a cancel on any
 * server stops it. A request while the job runs, here or on another server,
 * makes it run once more before it ends. The registry holds what only the
 * process can: the promise of the running work and its abort signal.
 */

export interface Job {
  /** Aborted when this round is cancelled (here) or the server lost the lease: pass it to model calls. */
  readonly signal: AbortSignal;
}

type Entry = { again: boolean; controller: AbortController; done: Promise<void> };

/** This server process, as lease holder: readable in the database (host, port, pid) and unique. */
const serverId = () => processSingleton("job-owner", () => `${hostname()}:${env().PORT} pid ${process.pid} ${randomBytes(4).toString("hex")}`);

export class JobRegistry {
  private readonly jobs: Map<string, Entry>;

  constructor(private readonly kind: JobKind) {
    this.jobs = processSingleton(`jobs:${kind}`, () => new Map<string, Entry>());
  }

  /**
   * Runs `work` in the background as the job of `key`, round after round
   * while more is requested. When the job already runs (on this server or
   * another), that job is asked to run once more instead. Resolves when the
   * job started here has ended (at once when another server runs it).
   */
  request(key: string, work: (job: Job) => Promise<void>): Promise<void> {
    const running = this.jobs.get(key);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry: Entry = { again: false, controller: new AbortController(), done: Promise.resolve() };
    this.jobs.set(key, entry);
    entry.done = this.run({ kind: this.kind, key, owner: serverId() }, entry, work)
      .catch((error: unknown) => console.error(`The ${this.kind} job ${key} stopped:`, error))
      .finally(() => {
        if (this.jobs.get(key) === entry) this.jobs.delete(key);
      });
    return entry.done;
  }

  /** Aborts the current round of `key`'s job if it runs here (another server's stops at its next database check). */
  abort(key: string, reason: Error): void {
    this.jobs.get(key)?.controller.abort(reason);
  }

  /** Resolves when `key`'s job running here (if any) has ended. */
  done(key: string): Promise<void> {
    return this.jobs.get(key)?.done ?? Promise.resolve();
  }

  private async run(lease: LeaseRef, entry: Entry, work: (job: Job) => Promise<void>): Promise<void> {
    const seconds = env().JOB_LEASE_SECONDS;
    if (!(await claimJob(lease, seconds))) return;
    let lost = false;
    const renewals = keepRenewed(lease, seconds, () => {
      lost = true;
      entry.controller.abort(new Error(`Another server took over ${lease.kind} job ${lease.key}`));
    });
    let finished = false;
    try {
      while (!lost) {
        entry.again = false;
        if (entry.controller.signal.aborted) entry.controller = new AbortController();
        await work({ signal: entry.controller.signal });
        if (lost || entry.again) continue;
        renewals.pause();
        const outcome = await finishJob(lease, seconds);
        // A request here while the lease was dropped claims the job again (or asks whoever holds it now to look again).
        if (outcome !== "again" && !(entry.again && (await claimJob(lease, seconds)))) {
          finished = true;
          break;
        }
        renewals.resume();
      }
    } finally {
      renewals.stop();
      if (!finished && !lost) await releaseJob(lease).catch((error: unknown) => console.error(`Could not release ${lease.kind} job ${lease.key}:`, error));
    }
  }
}

/**
 * Renews the lease every third of its length and calls `onLost` once when
 * another server holds it. Paused while the job drops its lease: a renewal
 * racing the drop (issued before the pause) would otherwise read as lost.
 */
function keepRenewed(lease: LeaseRef, seconds: number, onLost: () => void): { pause(): void; resume(): void; stop(): void } {
  let paused = false;
  let epoch = 0;
  let lost = false;
  const timer = setInterval(() => {
    if (paused) return;
    const issued = epoch;
    renewJob(lease, seconds)
      .then((renewed) => {
        if (renewed || lost || issued !== epoch) return;
        lost = true;
        onLost();
      })
      .catch((error: unknown) => console.error(`Could not renew the lease of ${lease.kind} job ${lease.key}:`, error));
  }, (seconds * 1000) / 3).unref();
  return {
    pause: () => {
      paused = true;
      epoch++;
    },
    resume: () => void (paused = false),
    stop: () => clearInterval(timer),
  };
}
