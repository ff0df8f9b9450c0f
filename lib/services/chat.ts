import { convertToModelMessages, createUIMessageStream, createUIMessageStreamResponse, stepCountIs, streamText, type ModelMessage } from "ai";
import { answerComposer } from "../ai/local/composer";
import { hostedChatModel } from "../ai/models";
import { answerSystemPrompt, recordsMessage } from "../ai/prompts";
import { productSearchTools, type ProductSearch } from "../ai/tools";
import { requireRead, type Actor } from "../auth/guard";
import { searchableProducts, withheldFromHosted } from "../db/semantic-search";
import { AppError } from "../errors";
import { composeAnswer } from "../mesh/answer";
import { env } from "../env";
import { withoutFields } from "../mesh/pii";
import { enforceRateLimit } from "../runtime/rate-limit";
import { federatedQuery } from "../search/federated";
import { searchProduct } from "../search/product-search";
import { MAX_QUESTION_LENGTH, type ChatMessage, type ChatRequest, type SourcesData } from "../validation/chat";
import type { FederatedProduct } from "../validation/discovery";

/**
 * One chat turn: the federated query answers the latest question, the
 * consulted products and citations are streamed first (a `data-sources`
 * part), then the answer, written by a hosted model when one is configured or
 * by the offline composer.
 */

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

/** The conversation with the retrieved records as a user message of their own, just before the question. */
export function withRecords(messages: ModelMessage[], records: string): ModelMessage[] {
  return [...messages.slice(0, -1), { role: "user", content: records }, ...messages.slice(-1)];
}

/**
 * What the hosted chat model may see of the retrieved records, in the prompt
 * and in its tools' results: without the fields each product withholds.
 */
export function piiFilter(withheld: Map<string, ReadonlySet<string>>) {
  const strip = <R extends { record: Record<string, unknown> }>(address: string, results: R[]): R[] => {
    const fields = withheld.get(address);
    return fields?.size ? results.map((result) => ({ ...result, record: withoutFields(result.record, fields) })) : results;
  };
  return {
    products: (products: FederatedProduct[]): FederatedProduct[] =>
      products.map((product) => ({ ...product, results: strip(`${product.domain}/${product.name}`, product.results) })),
    search: (search: ProductSearch): ProductSearch => async (product, query) => {
      const result = await search(product, query);
      return { ...result, results: strip(`${product.domain}/${product.name}`, result.results) };
    },
  };
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
  const max = env().CHAT_QUESTIONS_PER_MINUTE;
  await enforceRateLimit(`chat:${client}`, { window: 60, max }, `You have asked ${max} questions in the last minute; wait a moment and ask again.`);

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
  const withheld = piiFilter(hosted ? await withheldFromHosted(federated.products) : new Map());
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
            system: answerSystemPrompt(),
            messages: withRecords(
              await convertToModelMessages(messages.map(({ role, parts }) => ({ role, parts: parts.filter((part) => part.type === "text") }))),
              recordsMessage(withheld.products(federated.products)),
            ),
            ...(hosted.tools ? { tools: productSearchTools(federated.products, withheld.search(searchProduct)), stopWhen: stepCountIs(MAX_TOOL_STEPS) } : {}),
          })
        : streamText({ model: answerComposer(() => text), prompt: question });
      // The model's own errors (a hosted model unreachable) arrive in its stream, not in execute.
      writer.merge(result.toUIMessageStream({ onError: failed }));
    },
    onError: failed,
  });
  return createUIMessageStreamResponse({ stream });
}
