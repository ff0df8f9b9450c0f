import type { Actor } from "../auth/guard";
import { deleteConversation, findConversation, listConversations, saveConversation, type ConversationSummary, type StoredConversation } from "../db/conversations";
import { AppError } from "../errors";
import { withheldAnswers } from "../mesh/conversation-access";
import { accessPath } from "../paths";
import { unreadableAddresses } from "./access";

/**
 * Chat conversations kept per user in the database: the chat stores each
 * turn; the user lists, reopens and deletes them. Visitors (PUBLIC_READ)
 * have none. Ids are UUIDs the browser makes for a new conversation.
 */

export const MAX_LISTED_CONVERSATIONS = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TITLE_LENGTH = 80;

export const isConversationId = (id: string) => UUID.test(id);

function requireUser(actor: Actor | null): Actor {
  if (!actor) throw new AppError("unauthorized", "Sign in to keep conversations");
  return actor;
}

function checkedId(id: string): string {
  if (!isConversationId(id)) throw new AppError("not_found", "No such conversation");
  return id;
}

/** The title: the first question, shortened. */
export function conversationTitle(firstQuestion: string): string {
  const text = firstQuestion.replace(/\s+/g, " ").trim();
  return text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1)}…` : text || "Conversation";
}

export async function myConversations(actor: Actor | null): Promise<ConversationSummary[]> {
  return listConversations(requireUser(actor).id, MAX_LISTED_CONVERSATIONS);
}

/**
 * One of the user's conversations. An answer that drew on a restricted product whose records the
 * user may no longer read (a grant revoked or expired since) is withheld: its sources stay, marked restricted.
 */
export async function myConversation(actor: Actor | null, id: string): Promise<StoredConversation> {
  const user = requireUser(actor);
  const found = await findConversation(user.id, checkedId(id));
  if (!found) throw new AppError("not_found", "No such conversation");
  return { ...found, messages: withheldAnswers(found.messages, await unreadableAddresses(user), accessPath) };
}

export async function forgetConversation(actor: Actor | null, id: string): Promise<void> {
  if (!(await deleteConversation(requireUser(actor).id, checkedId(id)))) throw new AppError("not_found", "No such conversation");
}

/** Stores a chat turn's messages for their user; silently not for visitors or ids that are not conversation ids. */
export async function keepConversation(userId: string | undefined, id: string, firstQuestion: string, messages: unknown[]): Promise<void> {
  if (!userId || !isConversationId(id)) return;
  await saveConversation(userId, id, conversationTitle(firstQuestion), messages);
}
