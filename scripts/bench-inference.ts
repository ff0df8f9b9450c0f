/**
 * Throughput of the offline classifier (local:classify): records per second,
 * transformed through the AI SDK exactly as a product's inference does it
 * (framed prompt, generateText with structured output, output check), with
 * the offline sentence model on its worker threads.
 *
 *   npm run bench:inference                 # 200 records, concurrency 4
 *   npm run bench:inference -- 500 8        # records, concurrency
 */
import { generateText, Output } from "ai";
import { localEmbed } from "../lib/ai/inference";
import { createClassifierModel } from "../lib/ai/local/inference-models";
import { buildPrompt } from "../lib/ai/prompts";
import { checkOutput, outputSchema } from "../lib/mesh/inference";
import { mapLimit } from "../lib/runtime/concurrency";

const count = Number(process.argv[2] ?? 200);
const concurrency = Number(process.argv[3] ?? 4);
const outputFields = [
  { name: "sentiment", type: "string" as const },
  { name: "sentiment_score", type: "number" as const },
];
const labels = ["happy satisfied customer", "angry unhappy customer", "question about billing", "technical problem with the device"];
const openings = ["The thermostat", "My smart lock", "The invoice for March", "Your support team", "The outdoor camera", "The app update"];
const middles = ["stopped working after two days", "is exactly what I needed", "charged me twice this month", "answered quickly and kindly", "disconnects from wifi every night", "made everything slower"];
const endings = ["and I want a refund.", "so I am very happy.", "please explain the extra fee.", "thanks a lot for the help!", "can you send a technician?", "which is frustrating."];
const texts = Array.from({ length: count }, (_, i) => `${openings[i % 6]} ${middles[(i * 5) % 6]} ${endings[(i * 7) % 6]} Ticket ${i}: reported by customer ${1000 + i}.`);

const model = createClassifierModel({ labels, labelField: "sentiment", scoreField: "sentiment_score", embed: localEmbed });
const schema = outputSchema(outputFields);
const transform = async (text: string) => {
  const { system, prompt } = buildPrompt({ instructions: "Classify the record.", outputFields, labels }, { text });
  const { output } = await generateText({ model, system, prompt, output: Output.object({ schema }) });
  if (!checkOutput(outputFields, output).ok) throw new Error("invalid output");
};

await transform("warm up the model and the label embeddings");
const started = performance.now();
await mapLimit(texts, concurrency, transform);
const seconds = (performance.now() - started) / 1000;
const chars = Math.round(texts.reduce((sum, text) => sum + text.length, 0) / texts.length);
console.log(`local:classify: ${count} records (~${chars} characters) in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(1)} records/s (concurrency ${concurrency})`);
process.exit(0);
