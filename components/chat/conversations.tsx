"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ChatMessage } from "@/lib/validation/chat";

/** The signed-in user's stored conversations: reopen one, or delete it. Visitors have none (the list is hidden). */

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: string;
}

export const CONVERSATIONS_KEY = ["conversations"] as const;

async function fetchJson<T>(url: string, init?: RequestInit): Promise<T | null> {
  const response = await fetch(url, init);
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${response.status}`);
  return response.status === 204 ? null : ((await response.json()) as T);
}

export function Conversations({ current, onOpen, onDeleted }: { current: string; onOpen: (id: string, messages: ChatMessage[]) => void; onDeleted: (id: string) => void }) {
  const queryClient = useQueryClient();
  const { data } = useQuery({
    queryKey: CONVERSATIONS_KEY,
    queryFn: () => fetchJson<{ conversations: ConversationSummary[] }>("/api/conversations"),
  });
  const open = useMutation({
    mutationFn: (id: string) => fetchJson<{ id: string; messages: ChatMessage[] }>(`/api/conversations/${id}`),
    onSuccess: (conversation) => conversation && onOpen(conversation.id, conversation.messages),
  });
  const remove = useMutation({
    mutationFn: async (id: string) => {
      await fetchJson(`/api/conversations/${id}`, { method: "DELETE" });
      return id;
    },
    onSuccess: (id) => {
      onDeleted(id);
      void queryClient.invalidateQueries({ queryKey: CONVERSATIONS_KEY });
    },
  });
  if (!data) return null;
  return (
    <section aria-labelledby="conversations-title" className="space-y-2">
      <h2 id="conversations-title" className="text-sm font-semibold">
        Conversations
      </h2>
      {data.conversations.length === 0 ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Your questions are kept here.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {data.conversations.map((conversation) => (
            <li key={conversation.id} className="group flex items-start gap-1">
              <button
                type="button"
                className={`flex-1 truncate rounded px-1.5 py-1 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800 ${conversation.id === current ? "font-medium text-indigo-700 dark:text-indigo-300" : ""}`}
                title={conversation.title}
                onClick={() => open.mutate(conversation.id)}
              >
                {conversation.title}
              </button>
              <button
                type="button"
                aria-label={`Delete “${conversation.title}”`}
                className="rounded px-1.5 py-1 text-zinc-400 hover:bg-red-50 hover:text-red-700 dark:hover:bg-red-950/50"
                onClick={() => remove.mutate(conversation.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {open.error || remove.error ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          {(open.error ?? remove.error)!.message}
        </p>
      ) : null}
    </section>
  );
}
