import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { env } from "../../env";
import { processSingleton } from "../../runtime/singleton";
import { loadUseLite } from "./use-lite";

/**
 * Computes Universal Sentence Encoder lite embeddings. The model is CPU-bound
 * (about 30 texts of 200 characters per second per core), so by default each
 * request is split across a pool of worker threads, one per core; with
 * EMBEDDING_WORKERS=0 it runs in the calling thread.
 */

export interface Embedder {
  embed(values: string[], signal?: AbortSignal): Promise<number[][]>;
}

type Pending = { worker: Worker; resolve: (vectors: number[][]) => void; reject: (error: Error) => void };

class WorkerPool implements Embedder {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Requests in flight per worker: a busy worker keeps the process alive, an idle one does not. */
  private readonly inFlight = new Map<Worker, number>();
  private nextId = 0;

  constructor(size: number) {
    const script = path.join(process.cwd(), "lib", "ai", "local", "embed-worker.mjs");
    for (let index = 0; index < size; index++) {
      const worker = new Worker(script);
      worker.unref();
      worker.on("message", (message: { id: number; flat?: Float32Array; count?: number; error?: string }) => {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.settle(message.id, pending);
        if (message.error !== undefined || !message.flat) {
          pending.reject(new Error(`Embedding failed: ${message.error ?? "no result"}`));
          return;
        }
        const dimensions = message.flat.length / message.count!;
        pending.resolve(Array.from({ length: message.count! }, (_, i) => Array.from(message.flat!.subarray(i * dimensions, (i + 1) * dimensions))));
      });
      worker.on("error", (error) => this.failAll(error));
      this.workers.push(worker);
    }
  }

  private settle(id: number, pending: Pending) {
    this.pending.delete(id);
    const left = (this.inFlight.get(pending.worker) ?? 1) - 1;
    this.inFlight.set(pending.worker, left);
    if (left === 0) pending.worker.unref();
  }

  private failAll(error: Error) {
    for (const [id, pending] of this.pending) {
      this.settle(id, pending);
      pending.reject(error);
    }
  }

  private run(worker: Worker, values: string[]): Promise<number[][]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      this.inFlight.set(worker, (this.inFlight.get(worker) ?? 0) + 1);
      worker.ref();
      worker.postMessage({ id, values });
    });
  }

  async embed(values: string[], signal?: AbortSignal): Promise<number[][]> {
    signal?.throwIfAborted();
    const share = Math.ceil(values.length / this.workers.length);
    // Rotate the starting worker so single-text requests spread over the pool.
    const offset = this.nextId % this.workers.length;
    const parts = await Promise.all(
      this.workers
        .map((_, index) => values.slice(index * share, (index + 1) * share))
        .map((slice, index) => (slice.length ? this.run(this.workers[(index + offset) % this.workers.length]!, slice) : Promise.resolve([]))),
    );
    return parts.flat();
  }
}

export function localEmbedder(): Embedder {
  return processSingleton<Embedder>("embedder", () => {
    const workers = env().EMBEDDING_WORKERS ?? Math.min(availableParallelism(), 4);
    return workers === 0 ? { embed: async (values) => (await loadUseLite()).embed(values) } : new WorkerPool(workers);
  });
}
