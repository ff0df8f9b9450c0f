import { embed } from "ai";
import { processSingleton } from "../runtime/singleton";
import { embeddingModel } from "./models";

/**
 * Embeds a question once per model: a federated query asks discovery and
 * several products with the same question, and follow-ups repeat. A small
 * least-recently-used cache of in-flight and finished embeddings.
 */

const LIMIT = 500;
const cache = processSingleton("query-embeddings", () => new Map<string, Promise<number[]>>());

export function embedQuery(modelId: string, text: string): Promise<number[]> {
  const key = `${modelId}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const pending = embed({ model: embeddingModel(modelId), value: text, maxRetries: 1 }).then(({ embedding }) => embedding);
  pending.catch(() => cache.delete(key));
  cache.set(key, pending);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
  return pending;
}
