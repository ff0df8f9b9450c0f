import { createUIMessageStream, createUIMessageStreamResponse, readUIMessageStream, type UIMessageChunk } from "ai";
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/validation/chat";
import { applyChunk, newAnswer, streamChunks } from "./answer-stream";

/** The bytes of the UI message stream the chat route answers with (the AI SDK writes it), `step` bytes at a time. */
function routeStream(chunks: UIMessageChunk[], step = Infinity): ReadableStream<Uint8Array> {
  const stream = createUIMessageStream({ execute: ({ writer }) => chunks.forEach((chunk) => writer.write(chunk)) });
  const body = createUIMessageStreamResponse({ stream }).body!;
  if (step === Infinity) return body;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(bytes, controller) {
        for (let offset = 0; offset < bytes.length; offset += step) controller.enqueue(bytes.slice(offset, offset + step));
      },
    }),
  );
}

async function read(body: ReadableStream<Uint8Array>): Promise<ChatMessage> {
  let answer = newAnswer();
  for await (const chunk of streamChunks(body)) answer = applyChunk(answer, chunk);
  return answer.message;
}

const sources = { question: "Which customers were charged twice?", products: [], timings: { discoveryMs: 1, retrievalMs: 2, totalMs: 3 } };
const answerChunks: UIMessageChunk[] = [
  { type: "start", messageId: "m-1" },
  { type: "data-sources", data: sources },
  { type: "start-step" },
  { type: "text-start", id: "t-1" },
  { type: "text-delta", id: "t-1", delta: "Two customers: " },
  { type: "text-delta", id: "t-1", delta: "[C-1](/products/a/b/records/C-1) — café ✓" },
  { type: "text-end", id: "t-1" },
  { type: "finish-step" },
  { type: "finish" },
];

describe("the chat's answer stream reader", () => {
  it("builds the same message as the AI SDK's own reader, whatever the byte boundaries", async () => {
    let expected: ChatMessage | undefined;
    for await (const message of readUIMessageStream<ChatMessage>({ stream: createUIMessageStream({ execute: ({ writer }) => answerChunks.forEach((chunk) => writer.write(chunk)) }) })) {
      expected = message;
    }
    const texts = (message: ChatMessage) => message.parts.filter((part) => part.type === "text" || part.type === "data-sources");
    for (const step of [Infinity, 7, 1]) {
      const message = await read(routeStream(answerChunks, step));
      expect(message.id).toBe("m-1");
      expect(texts(message)).toEqual(texts(expected!));
      expect(message.parts.find((part) => part.type === "text")).toEqual({ type: "text", text: "Two customers: [C-1](/products/a/b/records/C-1) — café ✓", state: "done" });
    }
  });

  it("replaces a data part sent again with the same id, and skips transient ones", async () => {
    const message = await read(
      routeStream([
        { type: "data-sources", id: "s", data: { ...sources, question: "first" } },
        { type: "data-sources", id: "s", data: { ...sources, question: "second" } },
        { type: "data-answer", transient: true, data: {} },
      ]),
    );
    expect(message.parts).toEqual([{ type: "data-sources", id: "s", data: { ...sources, question: "second" } }]);
  });

  it("fails with the stream's error text", async () => {
    await expect(read(routeStream([{ type: "start" }, { type: "error", errorText: "The model is not reachable" }]))).rejects.toThrow("The model is not reachable");
  });
});
