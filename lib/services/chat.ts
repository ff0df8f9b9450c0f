import { convertToModelMessages, createUIMessageStream, createUIMessageStreamResponse, stepCountIs, streamText } from "ai";
import { answerComposer } from "../ai/local/composer";
import { hostedChatModel } from "../ai/models";
import { answerSystemPrompt } from "../ai/prompts";
import { productSearchTools } from "../ai/tools";
import { requireRead, type Actor } from "../auth/guard";
import { searchableProducts } from "../db/semantic-search";
import { AppError } from "../errors";
import { composeAnswer } from "../mesh/answer";
import { takeRateLimit } from "../runtime/rate-limit";
import { federatedQuery } from "../search/federated";
import { searchProduct } from "../search/product-search";
import { MAX_QUESTION_LENGTH, type ChatMessage, type ChatRequest, type SourcesData } from "../validation/chat";

/**
 * One chat turn: the federated query answers the latest question, the
 * consulted products and citations are streamed first (a `data-sources`
 * part), then the answer, written by a hosted model when one is configured or
 * by the offline composer.
 */

export const MESSAGES_PER_MINUTE = 20;
/** Model steps when tools are on: searches, then the answer. */
const MAX_TOOL_STEPS = 4;

const textOf = (message: { parts: { type: string; text?: string }[] }) =>
  message.parts
    .filter((part) => part.type === "text")
    .map((part) => part.text ?? "")
    .join(" ")
    .trim();

/** A short follow-up ("and in March?") is searched together with the question before it. */
export function retrievalQuestion(userTexts: string[]): string {
  const question = userTexts.at(-1) ?? "";
  const previous = userTexts.at(-2);
  return previous && question.split(/\s+/).length < 6 ? `${previous} ${question}` : question;
}

/** The products the chat can be limited to, with whether they can answer yet (semantic search ready). */
export function askableProducts(reader: Actor | null) {
  requireRead(reader);
  return searchableProducts();
}

/** Answers the latest question of `request`; `client` is whom the rate limit counts (a user id or an address). */
export async function answerChat(reader: Actor | null, request: ChatRequest, client: string): Promise<Response> {
  requireRead(reader);
  const messages = request.messages as unknown as ChatMessage[];
  const last = messages.at(-1)!;
  const question = textOf(last);
  if (last.role !== "user" || !question) throw new AppError("validation", "The last message must be a question", { messages: ["Ask a question"] });
  if (question.length > MAX_QUESTION_LENGTH) {
    throw new AppError("validation", `Questions are at most ${MAX_QUESTION_LENGTH} characters`, { messages: [`At most ${MAX_QUESTION_LENGTH} characters`] });
  }
  if (!(await takeRateLimit(`chat:${client}`, { window: 60, max: MESSAGES_PER_MINUTE })).allowed) {
    throw new AppError("rate_limited", `You have asked ${MESSAGES_PER_MINUTE} questions in the last minute; wait a moment and ask again.`);
  }

  const searched = retrievalQuestion(messages.filter((message) => message.role === "user").map(textOf));
  const federated = await federatedQuery({ question: searched, k: 5, products: request.products });
  const { text, citations } = composeAnswer(question, federated.products);
  const sources: SourcesData = {
    question: searched,
    products: federated.products.map((product) => ({
      domain: product.domain,
      name: product.name,
      title: product.title,
      status: product.status,
      ...(product.reason ? { reason: product.reason } : {}),
      citations: citations.filter((citation) => citation.product === `${product.domain}/${product.name}`).map(({ key, href }) => ({ key, href })),
    })),
    timings: federated.timings,
  };

  const hosted = hostedChatModel();
  const failed = (error: unknown) => {
    console.error("Chat answer failed:", error);
    return "The answer could not be written; please try again.";
  };
  const stream = createUIMessageStream<ChatMessage>({
    async execute({ writer }) {
      writer.write({ type: "data-sources", data: sources });
      const result = hosted
        ? streamText({
            model: hosted.model,
            system: answerSystemPrompt(federated.products),
            messages: await convertToModelMessages(messages.map(({ role, parts }) => ({ role, parts: parts.filter((part) => part.type === "text") }))),
            ...(hosted.tools ? { tools: productSearchTools(federated.products, searchProduct), stopWhen: stepCountIs(MAX_TOOL_STEPS) } : {}),
          })
        : streamText({ model: answerComposer(() => text), prompt: question });
      // The model's own errors (a hosted model unreachable) arrive in its stream, not in execute.
      writer.merge(result.toUIMessageStream({ onError: failed }));
    },
    onError: failed,
  });
  return createUIMessageStreamResponse({ stream });
}
