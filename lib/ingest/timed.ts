import { AppError } from "../errors";
import type { ByteSource } from "./rows";

/**
 * An upload body with time limits: a client that stops sending for
 * `idleMs`, or is still sending after `totalMs`, is cut off with a 408 (and
 * a request stream is cancelled), so no upload can hold the portal for long.
 */
export async function* withTimeouts(body: ByteSource, limits: { idleMs: number; totalMs: number }): AsyncGenerator<Uint8Array> {
  const deadline = Date.now() + limits.totalMs;
  const { next, stop } = chunksOf(body);
  try {
    for (;;) {
      const wait = Math.min(limits.idleMs, deadline - Date.now());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, wait))));
      const chunk = await Promise.race([next(), timeout]).finally(() => clearTimeout(timer));
      if (chunk === "timeout") {
        throw new AppError(
          "request_timeout",
          wait < limits.idleMs
            ? `The upload took longer than ${seconds(limits.totalMs)}: it was ended and nothing was stored`
            : `The upload sent nothing for ${seconds(limits.idleMs)}: it was ended and nothing was stored`,
        );
      }
      if (chunk.done) return;
      yield chunk.value;
    }
  } finally {
    stop();
  }
}

/** Reads chunk by chunk; `stop` ends a request stream at once, even with a read pending. */
function chunksOf(body: ByteSource): { next(): Promise<IteratorResult<Uint8Array>>; stop(): void } {
  if (body instanceof ReadableStream) {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return { next: () => reader.read() as Promise<IteratorResult<Uint8Array>>, stop: () => void reader.cancel().catch(() => {}) };
  }
  const iterator = Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : body[Symbol.iterator]();
  return { next: async () => iterator.next(), stop: () => void Promise.resolve(iterator.return?.()).catch(() => {}) };
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
