import { convertToModelMessages, createUIMessageStream, createUIMessageStreamResponse, stepCountIs, streamText } from "ai";
import { answerQuestion } from "../answers/engine";
import { keepConversation } from "../conversations";
import { AppError, parseOrThrow } from "../errors";
import { RateLimiter } from "../rate-limit";
import { federatedQuery } from "../search/federated";
import { planSchema, type Plan } from "../validation/answers";
import { chatRequestSchema, MAX_QUESTION_LENGTH, type ChatMessage, type SourcesData } from "../validation/chat";
import { answerComposer } from "./local/composer";
import { recordHref } from "../mesh/answer";
import { hostedChatModel } from "./models";
import { answerSystemPrompt } from "./prompts";
import { productQueryTools, productSearchTools } from "./tools";

/**
 * One chat turn: the federated query answers the latest question, the
 * consulted products and citations are streamed first (a `data-sources`
 * part), then the answer, written by a hosted model when one is configured or
 * by the offline composer.
 */

export const MESSAGES_PER_MINUTE = 20;
/** Model steps when tools are on: searches, then the answer. */
const MAX_TOOL_STEPS = 4;
const holder = globalThis as unknown as { meshPortalChatLimiter?: RateLimiter };
const limiter = (holder.meshPortalChatLimiter ??= new RateLimiter(MESSAGES_PER_MINUTE, 60_000));

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

/**
 * `client` is who the rate limit counts (the user, or a visitor's address);
 * `owner` the signed-in user whose conversation the turn is stored in.
 */
export async function answerChat(input: unknown, client: string, owner?: string): Promise<Response> {
  const request = parseOrThrow(chatRequestSchema, input);
  const messages = request.messages as unknown as ChatMessage[];
  const last = messages.at(-1)!;
  const question = textOf(last);
  if (last.role !== "user" || !question) throw new AppError("validation", "The last message must be a question", { messages: ["Ask a question"] });
  if (question.length > MAX_QUESTION_LENGTH) {
    throw new AppError("validation", `Questions are at most ${MAX_QUESTION_LENGTH} characters`, { messages: [`At most ${MAX_QUESTION_LENGTH} characters`] });
  }
  if (!limiter.allow(client)) {
    throw new AppError("rate_limited", `You have asked ${MESSAGES_PER_MINUTE} questions in the last minute; wait a moment and ask again.`);
  }

  const searched = retrievalQuestion(messages.filter((message) => message.role === "user").map(textOf));
  const hosted = hostedChatModel();
  const keep = (all: ChatMessage[]) =>
    keepConversation(owner, request.id ?? "", textOf(messages.find((message) => message.role === "user")!), all).catch((error: unknown) =>
      console.error("Storing the conversation failed:", error),
    );
  if (!hosted) return offlineAnswer(question, messages, request.products, keep);
  const federated = await federatedQuery({ question: searched, k: 5, products: request.products });
  const sources: SourcesData = {
    question: searched,
    products: federated.products.map((product) => ({
      domain: product.domain,
      name: product.name,
      title: product.title,
      status: product.status,
      ...(product.reason ? { reason: product.reason } : {}),
      citations: product.results.map((result) => ({ key: result.key, href: recordHref(product, result.key) })),
    })),
    timings: federated.timings,
  };

  const stream = createUIMessageStream<ChatMessage>({
    originalMessages: messages,
    onEnd: ({ messages: all }) => keep(all),
    async execute({ writer }) {
      // One assistant message: its start first (with the id kept in the conversation), the model's own start left out.
      writer.write({ type: "start" });
      writer.write({ type: "data-sources", data: sources });
      const result = streamText({
        model: hosted.model,
        system: answerSystemPrompt(federated.products),
        messages: await convertToModelMessages(messages.map(({ role, parts }) => ({ role, parts: parts.filter((part) => part.type === "text") }))),
        ...(hosted.tools
          ? { tools: { ...productSearchTools(federated.products), ...(await productQueryTools(federated.products)) }, stopWhen: stepCountIs(MAX_TOOL_STEPS) }
          : {}),
      });
      // The model's own errors (a hosted model unreachable) arrive in its stream, not in execute.
      writer.merge(result.toUIMessageStream({ onError: failed, sendStart: false }));
    },
    onError: failed,
  });
  return createUIMessageStreamResponse({ stream });
}

/** The plans of the last answer in the conversation, for follow-up questions. */
export function previousPlans(messages: ChatMessage[]): Plan[] {
  const answer = messages
    .slice(0, -1)
    .reverse()
    .find((message) => message.role === "assistant")
    ?.parts.find((part) => part.type === "data-answer");
  const plans = answer && "data" in answer ? (answer.data as { plans?: unknown }).plans : undefined;
  if (!Array.isArray(plans)) return [];
  return plans.flatMap((plan) => {
    const parsed = planSchema.safeParse(plan);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The offline answer: the answer engine plans, executes and composes; the composer streams it. */
async function offlineAnswer(question: string, messages: ChatMessage[], products: string[] | undefined, keep: (all: ChatMessage[]) => Promise<void>): Promise<Response> {
  const { answer, outcomes, timings } = await answerQuestion({ question, products, previous: previousPlans(messages) });
  const sources: SourcesData = {
    question,
    products: outcomes.map(({ product, status, reason }) => ({
      domain: product.domain,
      name: product.name,
      title: product.title,
      status,
      ...(reason ? { reason } : {}),
      citations: answer.citations.filter((citation) => citation.product === `${product.domain}/${product.name}`).map(({ key, href }) => ({ key, href })),
    })),
    timings: { discoveryMs: timings.discoveryMs, retrievalMs: timings.planningMs, totalMs: timings.totalMs },
  };
  const stream = createUIMessageStream<ChatMessage>({
    originalMessages: messages,
    onEnd: ({ messages: all }) => keep(all),
    async execute({ writer }) {
      // One assistant message: its start first (with the id kept in the conversation), the model's own start left out.
      writer.write({ type: "start" });
      writer.write({ type: "data-sources", data: sources });
      writer.write({ type: "data-answer", data: answer });
      const result = streamText({ model: answerComposer(() => answer.text), prompt: question });
      writer.merge(result.toUIMessageStream({ onError: failed, sendStart: false }));
    },
    onError: failed,
  });
  return createUIMessageStreamResponse({ stream });
}

function failed(error: unknown): string {
  console.error("Chat answer failed:", error);
  return "The answer could not be written; please try again.";
}
