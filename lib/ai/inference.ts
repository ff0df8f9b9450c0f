import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { embedMany, type LanguageModel } from "ai";
import { allowedSecret, env, isAllowedSecretName } from "../env";
import { AppError } from "../errors";
import { endpointKind, type InferenceConfig } from "../mesh/inference";
import { createSafeFetch, type Resolver } from "../net/safe-fetch";
import { createClassifierModel, createSummarizerModel, type Embed } from "./local/inference-models";
import { DEFAULT_EMBEDDING_MODEL, embeddingModel } from "./models";

/**
 * The language model of a product's inference configuration: a built-in
 * offline model, or an OpenAI-compatible endpoint reached only through the
 * SSRF-safe fetch, with its API key read from the environment variable the
 * configuration names (if the operator allows that name).
 */

/** Embeddings of the offline sentence model, through the AI SDK. */
export const localEmbed: Embed = async (values, abortSignal) =>
  (await embedMany({ model: embeddingModel(DEFAULT_EMBEDDING_MODEL), values, maxRetries: 0, abortSignal })).embeddings;

/** How the model is named in lineage: "local:classify", or "<model> @ <host>". */
export function modelLabel(config: Pick<InferenceConfig, "endpoint" | "model">): string {
  if (endpointKind(config.endpoint) !== "hosted") return config.endpoint;
  return `${config.model} @ ${new URL(config.endpoint).host}`;
}

export function apiKeyProblem(apiKeyEnv: string | null | undefined): string | null {
  if (!apiKeyEnv) return null;
  if (!isAllowedSecretName(apiKeyEnv)) return `${apiKeyEnv} is not on the operator's INFERENCE_API_KEY_ENVS list`;
  if (!allowedSecret(apiKeyEnv)) return `${apiKeyEnv} is not set on the server`;
  return null;
}

export function inferenceModel(config: InferenceConfig, options: { embed?: Embed; resolver?: Resolver } = {}): LanguageModel {
  const embed = options.embed ?? localEmbed;
  const kind = endpointKind(config.endpoint);
  if (kind === "local:classify") {
    const labelField = config.outputFields.find((field) => field.type === "string")!.name;
    const scoreField = config.outputFields.find((field) => field.type === "number")?.name;
    return createClassifierModel({ labels: config.labels ?? [], labelField, scoreField, embed });
  }
  if (kind === "local:summarize") return createSummarizerModel({ summaryField: config.outputFields[0]!.name, embed });
  const problem = apiKeyProblem(config.apiKeyEnv);
  if (problem) throw new AppError("validation", problem, { apiKeyEnv: [problem] });
  const settings = env();
  const provider = createOpenAICompatible({
    name: "endpoint",
    baseURL: config.endpoint.replace(/\/+$/, ""),
    apiKey: config.apiKeyEnv ? allowedSecret(config.apiKeyEnv) : undefined,
    supportsStructuredOutputs: true,
    fetch: createSafeFetch({
      allowedHosts: settings.INFERENCE_ALLOWED_HOSTS,
      resolver: options.resolver,
      totalTimeoutMs: settings.INFERENCE_TIMEOUT_SECONDS * 1000,
    }),
  });
  return provider.chatModel(config.model!);
}
