import { embed } from "ai";
import { memoized } from "../runtime/memo";
import { embeddingModel } from "./models";

/**
 * Embeds a question once per model: a federated query asks discovery and
 * several products with the same question, and follow-ups repeat. A small
 * least-recently-used cache of in-flight and finished embeddings.
 */

const cached = memoized<number[]>("query-embeddings", 500);

export function embedQuery(modelId: string, text: string): Promise<number[]> {
  return cached(`${modelId}\u0000${text}`, () => embed({ model: embeddingModel(modelId), value: text, maxRetries: 1 }).then(({ embedding }) => embedding));
}
