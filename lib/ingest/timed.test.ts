import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { withTimeouts } from "./timed";

/** A body that sends `chunks` chunks, one every `everyMs`, then (if `hang`) nothing more without closing. */
function drip(chunks: number, everyMs: number, hang = false): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let sent = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === chunks) {
        if (hang) await new Promise(() => {});
        controller.close();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      sent++;
      controller.enqueue(new TextEncoder().encode(`chunk ${sent}\n`));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

async function read(stream: ReadableStream<Uint8Array>, limits: { idleMs: number; totalMs: number }) {
  const chunks: Uint8Array[] = [];
  for await (const chunk of withTimeouts(stream, limits)) chunks.push(chunk);
  return chunks.length;
}

describe("withTimeouts", () => {
  it("passes a body through that keeps sending", async () => {
    expect(await read(drip(5, 10).stream, { idleMs: 200, totalMs: 5_000 })).toBe(5);
  });

  it("ends a body that goes quiet with a 408 and cancels it", async () => {
    const body = drip(2, 5, true);
    const started = Date.now();
    const error = await read(body.stream, { idleMs: 150, totalMs: 5_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(408);
    expect((error as AppError).message).toBe("The upload sent nothing for 0.15 s: it was ended and nothing was stored");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(body.cancelled()).toBe(true);
  });

  it("ends a body that keeps sending past the total limit", async () => {
    const error = await read(drip(1_000, 20).stream, { idleMs: 1_000, totalMs: 300 }).catch((caught: unknown) => caught);
    expect((error as AppError).status).toBe(408);
    expect((error as AppError).message).toMatch(/^The upload took longer than 0.3 s/);
  });
});
