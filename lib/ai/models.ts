// lib/ai: models, providers and prompts only; every model call goes through the AI SDK.
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { EmbeddingModel, LanguageModel } from "ai";
import { customProvider } from "ai";
import { env } from "../env";
import { AppError } from "../errors";
import { localEmbedder } from "./local/embedder";
import { USE_LITE_DIMENSIONS, createUseLiteModel } from "./local/use-lite";

/**
 * The embedding models this deployment offers. Every model is an AI SDK
 * model, so using a hosted one instead of the offline default is a matter of
 * configuration. Ids are "<provider>/<model>".
 */

export interface EmbeddingModelInfo {
  id: string;
  label: string;
  dimensions: number;
  description: string;
}

export const DEFAULT_EMBEDDING_MODEL = "local/use-lite";

const local = customProvider({
  embeddingModels: { "use-lite": createUseLiteModel((values, signal) => localEmbedder().embed(values, signal)) },
});

export function embeddingModels(): EmbeddingModelInfo[] {
  const config = env();
  const models: EmbeddingModelInfo[] = [
    {
      id: DEFAULT_EMBEDDING_MODEL,
      label: "Universal Sentence Encoder lite (offline)",
      dimensions: USE_LITE_DIMENSIONS,
      description: "Runs on this server; no network or API key.",
    },
  ];
  if (config.OPENAI_API_KEY) {
    models.push({
      id: "openai/text-embedding-3-small",
      label: "OpenAI text-embedding-3-small",
      dimensions: 1536,
      description: "Hosted by OpenAI; record text is sent to OpenAI.",
    });
  }
  if (config.OPENAI_COMPATIBLE_BASE_URL && config.OPENAI_COMPATIBLE_EMBEDDING_MODEL && config.OPENAI_COMPATIBLE_EMBEDDING_DIMENSIONS) {
    models.push({
      id: `compatible/${config.OPENAI_COMPATIBLE_EMBEDDING_MODEL}`,
      label: `${config.OPENAI_COMPATIBLE_EMBEDDING_MODEL} (OpenAI-compatible API)`,
      dimensions: config.OPENAI_COMPATIBLE_EMBEDDING_DIMENSIONS,
      description: `Served by ${new URL(config.OPENAI_COMPATIBLE_BASE_URL).host}.`,
    });
  }
  return models;
}

export function embeddingModelInfo(id: string): EmbeddingModelInfo {
  const info = embeddingModels().find((model) => model.id === id);
  if (!info) {
    throw new AppError("validation", `Embedding model ${id} is not available`, {
      model: [`Choose one of: ${embeddingModels().map((model) => model.id).join(", ")}`],
    });
  }
  return info;
}

export function embeddingModel(id: string): EmbeddingModel {
  embeddingModelInfo(id);
  const config = env();
  const [provider, ...rest] = id.split("/");
  const modelId = rest.join("/");
  switch (provider) {
    case "local":
      return local.embeddingModel(modelId as "use-lite");
    case "openai":
      return createOpenAI({ apiKey: config.OPENAI_API_KEY }).embeddingModel(modelId);
    default:
      return createOpenAICompatible({
        name: "compatible",
        baseURL: config.OPENAI_COMPATIBLE_BASE_URL!,
        apiKey: config.OPENAI_COMPATIBLE_API_KEY,
      }).embeddingModel(modelId);
  }
}

/**
 * The hosted model that writes chat answers, when one is configured (an
 * OpenAI-compatible chat model first, then OpenAI); otherwise none, and the
 * offline answer composer writes them.
 */
export function hostedChatModel(): { id: string; model: LanguageModel; tools: boolean } | undefined {
  const config = env();
  if (config.OPENAI_COMPATIBLE_BASE_URL && config.OPENAI_COMPATIBLE_CHAT_MODEL) {
    const provider = createOpenAICompatible({
      name: "compatible",
      baseURL: config.OPENAI_COMPATIBLE_BASE_URL,
      apiKey: config.OPENAI_COMPATIBLE_API_KEY,
    });
    return {
      id: `compatible/${config.OPENAI_COMPATIBLE_CHAT_MODEL}`,
      model: provider.chatModel(config.OPENAI_COMPATIBLE_CHAT_MODEL),
      tools: config.OPENAI_COMPATIBLE_CHAT_TOOLS,
    };
  }
  if (config.OPENAI_API_KEY) {
    const modelId = config.OPENAI_CHAT_MODEL ?? "gpt-4o-mini";
    return { id: `openai/${modelId}`, model: createOpenAI({ apiKey: config.OPENAI_API_KEY }).chat(modelId), tools: true };
  }
  return undefined;
}
