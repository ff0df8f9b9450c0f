import { processSingleton } from "./singleton";

/**
 * Background jobs of one kind (indexing, inference runs), at most one per key
 * (a product) in this process. A job's lasting state (its generation and
 * progress) is in the database: the job re-reads it as it goes, so a
 * reconfiguration or a cancel in the database stops it, and a restarted
 * server can resume or close it. The registry holds what only the process
 * can: the promise of the running work, its abort signal, and whether more
 * work arrived while it ran.
 */

export interface Job {
  /** Aborted when the job is cancelled: pass it to model calls. */
  readonly signal: AbortSignal;
  /** Set when more work was requested while the job ran: it should look once more before it ends. */
  again: boolean;
  readonly done: Promise<void>;
}

type Entry = { signal: AbortSignal; again: boolean; done: Promise<void>; controller: AbortController };

export class JobRegistry {
  private readonly jobs: Map<string, Entry>;

  constructor(kind: string) {
    this.jobs = processSingleton(`jobs:${kind}`, () => new Map<string, Entry>());
  }

  /** Runs `work` in the background unless a job for `key` is running; then that job is asked to look again. */
  request(key: string, work: (job: Job) => Promise<void>): Job {
    const running = this.jobs.get(key);
    if (running) {
      running.again = true;
      return running;
    }
    return this.start(key, work);
  }

  /** Runs `work` in the background as the job of `key`, in place of one that is still winding down. */
  start(key: string, work: (job: Job) => Promise<void>): Job {
    const controller = new AbortController();
    const entry: Entry = { signal: controller.signal, again: false, done: Promise.resolve(), controller };
    entry.done = work(entry).finally(() => {
      if (this.jobs.get(key) === entry) this.jobs.delete(key);
    });
    this.jobs.set(key, entry);
    return entry;
  }

  /** Aborts the running job of `key`, if any. */
  abort(key: string, reason: Error): void {
    this.jobs.get(key)?.controller.abort(reason);
  }

  /** Resolves when the running job of `key` (if any) has finished. */
  done(key: string): Promise<void> {
    return this.jobs.get(key)?.done ?? Promise.resolve();
  }
}
