import { AppError } from "../errors";

/**
 * An upload body with time limits: a client that stops sending for
 * `idleMs`, or is still sending after `totalMs`, is cut off with a 408 (and
 * the stream cancelled), so no upload can hold the portal for long.
 */
export async function* withTimeouts(
  body: ReadableStream<Uint8Array>,
  limits: { idleMs: number; totalMs: number },
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  const deadline = Date.now() + limits.totalMs;
  try {
    for (;;) {
      const left = deadline - Date.now();
      const wait = Math.min(limits.idleMs, left);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, wait))));
      const next = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (next === "timeout") {
        throw new AppError(
          "request_timeout",
          wait < limits.idleMs
            ? `The upload took longer than ${seconds(limits.totalMs)}: it was ended and nothing was stored`
            : `The upload sent nothing for ${seconds(limits.idleMs)}: it was ended and nothing was stored`,
        );
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
