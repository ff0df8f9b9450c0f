import type { UIMessage } from "ai";
import { z } from "zod";
import type { StructuredAnswer } from "./answers";
import { MAX_PRODUCTS_PER_QUERY } from "./discovery";

/** The chat request (what useChat's transport sends) and the message parts we add. */

export { MAX_QUESTION_LENGTH } from "./semantic-search";
export const MAX_MESSAGES = 40;

const part = z.looseObject({ type: z.string(), text: z.string().optional() });

export const chatRequestSchema = z.looseObject({
  /** The conversation's id; a UUID is kept for the signed-in user (see lib/services/conversations.ts). */
  id: z.string().max(100).optional(),
  messages: z
    .array(z.looseObject({ id: z.string(), role: z.enum(["user", "assistant"], { error: "Messages come from the user or the assistant" }), parts: z.array(part) }), {
      error: "messages must be an array of chat messages",
    })
    .min(1, "Send at least one message")
    .max(MAX_MESSAGES, `A conversation holds at most ${MAX_MESSAGES} messages; start a new one`),
  products: z
    .array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'Name products as "domain/name"'))
    .max(MAX_PRODUCTS_PER_QUERY, `Choose at most ${MAX_PRODUCTS_PER_QUERY} products`)
    .optional(),
});

/** Sent before the answer: which products were consulted, which skipped and why, and the citations. */
export interface SourcesData {
  question: string;
  products: {
    domain: string;
    name: string;
    title: string;
    status: "ok" | "skipped" | "error" | "restricted";
    reason?: string;
    /** For a restricted product: the page where the reader asks for access. */
    requestAccess?: string;
    citations: { key: string; href: string }[];
  }[];
  timings: { discoveryMs: number; retrievalMs: number; totalMs: number };
}

export type ChatMessage = UIMessage<never, { sources: SourcesData; answer: StructuredAnswer }>;
export type ChatRequest = z.infer<typeof chatRequestSchema>;
