import { db } from "./client";

/** Chat conversations, always read and written for one user: another user's id finds nothing. */

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredConversation extends ConversationSummary {
  messages: unknown[];
}

const summary = { id: true, title: true, createdAt: true, updatedAt: true } as const;
const toSummary = (row: { id: string; title: string; createdAt: Date; updatedAt: Date }): ConversationSummary => ({
  id: row.id,
  title: row.title,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export async function listConversations(userId: string, limit: number): Promise<ConversationSummary[]> {
  const rows = await db().conversation.findMany({ where: { userId }, orderBy: { updatedAt: "desc" }, take: limit, select: summary });
  return rows.map(toSummary);
}

export async function findConversation(userId: string, id: string): Promise<StoredConversation | null> {
  const row = await db().conversation.findFirst({ where: { id, userId } });
  return row ? { ...toSummary(row), messages: row.messages as unknown[] } : null;
}

/** Creates the conversation or replaces its messages; a conversation of another user is left alone (returns false). */
export async function saveConversation(userId: string, id: string, title: string, messages: unknown[]): Promise<boolean> {
  const written = await db().$executeRaw`
    INSERT INTO conversations (id, user_id, title, messages, created_at, updated_at)
    VALUES (${id}::uuid, ${userId}, ${title}, ${JSON.stringify(messages)}::jsonb, now(), now())
    ON CONFLICT (id) DO UPDATE SET messages = EXCLUDED.messages, updated_at = now()
    WHERE conversations.user_id = EXCLUDED.user_id`;
  return written > 0;
}

export async function deleteConversation(userId: string, id: string): Promise<boolean> {
  const { count } = await db().conversation.deleteMany({ where: { id, userId } });
  return count > 0;
}
