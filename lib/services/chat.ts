import {
  convertToModelMessages,
  createUIMessageStream,
  createUIMessageStreamResponse,
  stepCountIs,
  streamText,
  type ModelMessage,
  type UIMessageStreamWriter,
} from "ai";
import { answerComposer } from "../ai/local/composer";
import { hostedChatModel } from "../ai/models";
import { answerSystemPrompt, recordsMessage } from "../ai/prompts";
import { productQueryTools, productSearchTools, type ProductSearch } from "../ai/tools";
import { requireRead, type Actor } from "../auth/guard";
import { findProduct } from "../db/products";
import { searchableProducts, withheldFromHosted } from "../db/semantic-search";
import { env } from "../env";
import { AppError } from "../errors";
import { withoutFields } from "../mesh/pii";
import { RESTRICTED_REASON } from "../mesh/access";
import { accessPath, recordPath, type ProductRef } from "../paths";
import { enforceRateLimit } from "../runtime/rate-limit";
import { answerQuestion, runPlan } from "../search/answers";
import { federatedQuery } from "../search/federated";
import { searchProduct } from "../search/product-search";
import { planSchema, type Plan } from "../validation/answers";
import { MAX_QUESTION_LENGTH, type ChatMessage, type ChatRequest, type SourcesData } from "../validation/chat";
import type { FederatedProduct } from "../validation/discovery";
import { recordAccess, type RecordAccess } from "./access";
import { keepConversation } from "./conversations";
import { inSearchLane } from "./search-lane";

/**
 * One chat turn. Offline, the answer engine (lib/search/answers.ts) plans the
 * question for each candidate product, executes it and composes the answer:
 * the consulted products and citations are streamed first (a `data-sources`
 * part), then the structured answer (`data-answer`, with the plans a
 * follow-up refines), then its text. With a hosted model, the federated query
 * gives it the records as data and tools to search and query the products.
 * A signed-in user's turn is kept in their conversation.
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
 * and in its tools' results (searches and record queries): without the fields
 * each product withholds.
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
    run: (run: typeof runPlan): typeof runPlan => async (product, plan) => {
      const execution = await run(product, plan);
      const fields = withheld.get(`${product.domain}/${product.name}`);
      return fields?.size ? { ...execution, rows: execution.rows.map((row) => ({ ...row, data: withoutFields(row.data, fields) })) } : execution;
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

  const keep = (all: ChatMessage[]) =>
    keepConversation(reader?.id, request.id ?? "", textOf(messages.find((message) => message.role === "user")!), all).catch((error: unknown) =>
      console.error("Storing the conversation failed:", error),
    );
  const access = await recordAccess(reader);
  const hosted = hostedChatModel();
  if (!hosted) return offlineAnswer(question, messages, request.products, access, keep);

  const searched = retrievalQuestion(messages.filter((message) => message.role === "user").map(textOf));
  const federated = await inSearchLane(() => federatedQuery({ question: searched, k: 5, products: request.products }, access));
  // The hosted model gets records, and tools, of the products the reader may read only.
  const readable = federated.products.filter((product) => product.status !== "restricted");
  const sources: SourcesData = {
    question: searched,
    products: federated.products.map((product) => ({
      domain: product.domain,
      name: product.name,
      title: product.title,
      status: product.status,
      ...(product.reason ? { reason: product.reason } : {}),
      ...(product.requestAccess ? { requestAccess: product.requestAccess } : {}),
      citations: product.results.map((result) => ({ key: result.key, href: recordPath(product, result.key) })),
    })),
    timings: federated.timings,
  };
  const withheld = piiFilter(await withheldFromHosted(readable));
  return streamAnswer(messages, keep, [{ type: "data-sources", data: sources }], async () =>
    streamText({
      model: hosted.model,
      system: answerSystemPrompt(),
      messages: withRecords(
        await convertToModelMessages(messages.map(({ role, parts }) => ({ role, parts: parts.filter((part) => part.type === "text") }))),
        recordsMessage(withheld.products(readable)),
      ),
      ...(hosted.tools
        ? {
            tools: { ...productSearchTools(readable, withheld.search(searchProduct)), ...productQueryTools(await queryable(readable, access), withheld.run(runPlan)) },
            stopWhen: stepCountIs(MAX_TOOL_STEPS),
          }
        : {}),
    }),
  );
}

type Chunk = Parameters<UIMessageStreamWriter<ChatMessage>["write"]>[0];

/**
 * One assistant message, hosted or offline: its start first (with the id kept in the conversation),
 * then `parts` (the sources, the offline answer), then the model's text without its own start.
 */
function streamAnswer(messages: ChatMessage[], keep: (all: ChatMessage[]) => Promise<void>, parts: Chunk[], text: () => Promise<Pick<ReturnType<typeof streamText>, "toUIMessageStream">>): Response {
  const stream = createUIMessageStream<ChatMessage>({
    originalMessages: messages,
    onEnd: ({ messages: all }) => keep(all),
    async execute({ writer }) {
      writer.write({ type: "start" });
      for (const part of parts) writer.write(part);
      // The model's own errors (a hosted model unreachable) arrive in its stream, not in execute.
      writer.merge((await text()).toUIMessageStream({ onError: failed, sendStart: false }));
    },
    onError: failed,
  });
  return createUIMessageStreamResponse({ stream });
}

/** The consulted products with their schemas, for the query_records tools: those whose records the reader reads. */
async function queryable(products: FederatedProduct[], access: RecordAccess) {
  const found = await Promise.all(products.map((product) => findProduct(product.domain, product.name)));
  return found.flatMap((product) => (product && access.readable(product) ? [product] : []));
}

/** The plans of the last answer in the conversation, for follow-up questions; checked, since the browser sends them back. */
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
async function offlineAnswer(
  question: string,
  messages: ChatMessage[],
  products: string[] | undefined,
  access: RecordAccess,
  keep: (all: ChatMessage[]) => Promise<void>,
): Promise<Response> {
  const { answer, outcomes, restricted, timings } = await inSearchLane(() => answerQuestion({ question, access, products, previous: previousPlans(messages) }));
  const sources: SourcesData = {
    question,
    products: [
      ...outcomes.map(({ product, status, reason }) => ({
        domain: product.domain,
        name: product.name,
        title: product.title,
        status,
        ...(reason ? { reason } : {}),
        citations: answer.citations.filter((citation) => citation.product === `${product.domain}/${product.name}`).map(({ key, href }) => ({ key, href })),
      })),
      ...restricted.map((product) => restrictedSource(product)),
    ],
    timings: { discoveryMs: timings.discoveryMs, retrievalMs: timings.planningMs, totalMs: timings.totalMs },
  };
  return streamAnswer(
    messages,
    keep,
    [
      { type: "data-sources", data: sources },
      { type: "data-answer", data: answer },
    ],
    async () => streamText({ model: answerComposer(() => answer.text), prompt: question }),
  );
}

/** A candidate the reader may not read, as the chat lists it: named, never cited. */
function restrictedSource(product: ProductRef & { title: string }): SourcesData["products"][number] {
  return { domain: product.domain, name: product.name, title: product.title, status: "restricted", reason: RESTRICTED_REASON, requestAccess: accessPath(product), citations: [] };
}

function failed(error: unknown): string {
  console.error("Chat answer failed:", error);
  return "The answer could not be written; please try again.";
}
