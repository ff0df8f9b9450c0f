import type { LanguageModelV4, LanguageModelV4StreamPart } from "@ai-sdk/provider";

/**
 * The offline answer composer behind the AI SDK's LanguageModelV4 interface,
 * so the chat streams it with `streamText` exactly like a hosted model. It
 * does not generate language: it is built for one request around `compose`,
 * which writes the answer from the retrieved records (lib/mesh/answer.ts),
 * and streams it in sentence-sized pieces.
 */

const usage = (text: string) => ({
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: text.split(/\s+/).length, text: text.split(/\s+/).length, reasoning: 0 },
});

/** Splits after sentence ends and line breaks, keeping the separators. */
export function pieces(text: string): string[] {
  return text.match(/[^.!?\n]*(?:[.!?]+\s*|\n+|$)/g)?.filter(Boolean) ?? [];
}

export function answerComposer(compose: () => string): LanguageModelV4 {
  return {
    specificationVersion: "v4",
    provider: "local",
    modelId: "answer-composer",
    supportedUrls: {},
    async doGenerate() {
      const text = compose();
      return {
        content: [{ type: "text", text }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usage(text),
        warnings: [],
      };
    },
    async doStream() {
      const text = compose();
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "answer" });
          for (const delta of pieces(text)) controller.enqueue({ type: "text-delta", id: "answer", delta });
          controller.enqueue({ type: "text-end", id: "answer" });
          controller.enqueue({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: usage(text) });
          controller.close();
        },
      });
      return { stream };
    },
  };
}
