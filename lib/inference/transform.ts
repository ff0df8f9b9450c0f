import { generateText, Output, type LanguageModel } from "ai";
import { inferenceModel, modelLabel } from "../ai/inference";
import { env } from "../env";
import { AppError } from "../errors";
import { buildPrompt } from "../ai/prompts";
import { checkOutput, outputSchema, type InferenceConfig } from "../mesh/inference";
import { RefusedUrlError } from "../net/safe-fetch";
import { withKeyedLimit } from "../runtime/concurrency";
import { processSlot } from "../runtime/singleton";

/**
 * One transformation: frame the record (as data) with the owner's
 * instructions, call the model through the AI SDK with structured output,
 * check the output against the declared fields. Nothing is merged or stored
 * here; an invalid output is an error.
 */

/** Lets tests put a model in place of the configured one (e.g. a mock that echoes its prompt). */
const testModel = processSlot<(config: InferenceConfig) => LanguageModel>("inference-model");
export function setInferenceModelFactory(factory: ((config: InferenceConfig) => LanguageModel) | undefined): void {
  testModel.set(factory);
}

function refusal(error: unknown): RefusedUrlError | undefined {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if (current instanceof RefusedUrlError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface TransformOutput {
  output: Record<string, string | number | boolean>;
  model: string;
  durationMs: number;
}

export async function runTransform(
  productId: string,
  config: InferenceConfig,
  fields: Record<string, unknown>,
  abortSignal?: AbortSignal,
): Promise<TransformOutput> {
  const model = testModel.get()?.(config) ?? inferenceModel(config);
  const { system, prompt } = buildPrompt(config, fields);
  // At most INFERENCE_MAX_CONCURRENCY model calls per product at once (single transforms and batch runs together).
  return withKeyedLimit(`inference:${productId}`, env().INFERENCE_MAX_CONCURRENCY, async () => {
    const started = performance.now();
    let value: unknown;
    try {
      const result = await generateText({
        model,
        system,
        prompt,
        output: Output.object({ schema: outputSchema(config.outputFields) }),
        maxRetries: 1,
        abortSignal,
      });
      value = result.output;
    } catch (error) {
      const refused = refusal(error);
      if (refused) throw refused;
      if (error instanceof AppError) throw error;
      const text = (error as { text?: unknown }).text;
      if (typeof text === "string") {
        // Structured output that did not parse or match: report what the declared fields expected.
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new AppError("bad_gateway", `The model's output is not JSON: ${text.slice(0, 200)}`);
        }
        value = parsed;
      } else {
        throw new AppError("bad_gateway", `The model endpoint failed: ${messageOf(error).slice(0, 300)}`);
      }
    }
    const checked = checkOutput(config.outputFields, value);
    if (!checked.ok) throw new AppError("bad_gateway", `The model's output does not match the declared output fields: ${checked.problems.join("; ")}`);
    return { output: checked.output, model: modelLabel(config), durationMs: Math.round(performance.now() - started) };
  });
}
