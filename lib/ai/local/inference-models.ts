import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { framedRecord, recordText } from "../prompts";
import { bestLabel, centralSentences, sentences, summaryLength } from "./similarity";

/**
 * The built-in offline inference models, behind the AI SDK's LanguageModelV4
 * interface so that a transformation calls `generateText` the same way for
 * them as for a hosted model. They do not generate language and do not read
 * the owner's instructions; they read the record inside the prompt's
 * <record> block (its string values) and answer with JSON text:
 *
 * - classify: zero-shot classification. The record text and each label are
 *   embedded with the offline sentence model (USE-lite); the label with the
 *   highest cosine similarity wins, and its similarity is the score.
 * - summarize: extractive summary. The record's sentences are embedded and
 *   the most central ones (highest summed similarity to the others) are kept
 *   verbatim, in their order: up to three, a third of the text.
 */

export type Embed = (values: string[], signal?: AbortSignal) => Promise<number[][]>;

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

/** The text of the user messages of a call (the framed record is in the last one). */
function promptText(options: LanguageModelV4CallOptions): string {
  return options.prompt
    .filter((message) => message.role === "user")
    .flatMap((message) => message.content.flatMap((part) => (part.type === "text" ? [part.text] : [])))
    .join("\n");
}

function jsonModel(modelId: string, answer: (text: string, signal?: AbortSignal) => Promise<Record<string, unknown>>): LanguageModelV4 {
  const run = async (options: LanguageModelV4CallOptions) => {
    const fields = framedRecord(promptText(options));
    if (!fields) throw new Error(`local:${modelId} found no <record> block in the prompt`);
    const text = recordText(fields);
    const json = JSON.stringify(await answer(text, options.abortSignal));
    return { json, usage: usage(text.split(/\s+/).length, json.length) };
  };
  return {
    specificationVersion: "v4",
    provider: "local",
    modelId,
    supportedUrls: {},
    async doGenerate(options) {
      const { json, usage } = await run(options);
      return { content: [{ type: "text", text: json }], finishReason: { unified: "stop", raw: "stop" }, usage, warnings: [] };
    },
    async doStream(options) {
      const { json, usage } = await run(options);
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "output" });
          controller.enqueue({ type: "text-delta", id: "output", delta: json });
          controller.enqueue({ type: "text-end", id: "output" });
          controller.enqueue({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage });
          controller.close();
        },
      });
      return { stream };
    },
  };
}

const labelCache = new Map<string, Promise<{ label: string; embedding: number[] }[]>>();

export function createClassifierModel(options: { labels: string[]; labelField: string; scoreField?: string; embed: Embed }): LanguageModelV4 {
  const { labels, labelField, scoreField, embed } = options;
  const cacheKey = JSON.stringify(labels);
  const labelEmbeddings = () => {
    let cached = labelCache.get(cacheKey);
    if (!cached) {
      cached = embed(labels).then((vectors) => labels.map((label, index) => ({ label, embedding: vectors[index]! })));
      cached.catch(() => labelCache.delete(cacheKey));
      if (labelCache.size > 100) labelCache.clear();
      labelCache.set(cacheKey, cached);
    }
    return cached;
  };
  return jsonModel("classify", async (text, signal) => {
    if (!text) throw new Error("local:classify: the record has no text to classify");
    const [[vector], choices] = await Promise.all([embed([text], signal), labelEmbeddings()]);
    const { label, score } = bestLabel(vector!, choices);
    return scoreField ? { [labelField]: label, [scoreField]: score } : { [labelField]: label };
  });
}

export function createSummarizerModel(options: { summaryField: string; embed: Embed }): LanguageModelV4 {
  const { summaryField, embed } = options;
  return jsonModel("summarize", async (text, signal) => {
    const items = sentences(text);
    if (items.length === 0) return { [summaryField]: "" };
    const count = summaryLength(items.length);
    if (items.length <= count) return { [summaryField]: items.join(" ") };
    const vectors = await embed(items, signal);
    return { [summaryField]: centralSentences(items, vectors, count).join(" ") };
  });
}
