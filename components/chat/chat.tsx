"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/validation/chat";
import { button, card, input } from "../ui/styles";
import { useAnswerStream } from "./answer-stream";
import { AnswerText } from "./answer-text";
import { Conversations, CONVERSATIONS_KEY } from "./conversations";
import { Sources } from "./sources";

export type ChatProduct = { address: string; title: string; searchable: boolean };
/** The request's limits (lib/validation/chat.ts and discovery.ts; passed in, their zod schemas stay on the server). */
export type ChatLimits = { questionLength: number; products: number };

const STORAGE_KEY = "mesh-portal-chat";

/** The server answers errors as JSON { error }; show that sentence, not the raw body. */
function errorText(error: Error): string {
  try {
    return (JSON.parse(error.message) as { error?: string }).error ?? error.message;
  } catch {
    return error.message;
  }
}

/**
 * The federated question-answering chat. The server keeps a signed-in
 * user's conversations (listed beside the chat, to reopen or delete); the
 * current one also lives in this browser tab (sessionStorage) and survives
 * reloads. Questions can be narrowed to chosen products.
 */
export function Chat({ products, limits }: { products: ChatProduct[]; limits: ChatLimits }) {
  // A new conversation gets a new id; a reopened one its id and stored messages (useChat starts a new chat per id).
  const [conversation, setConversation] = useState<{ id: string; initial: ChatMessage[] }>(() => ({ id: crypto.randomUUID(), initial: [] }));
  const chatId = conversation.id;
  const { messages, send, status, error, stop, clearError } = useAnswerStream({ id: chatId, initial: conversation.initial, api: "/api/chat" });
  const [draft, setDraft] = useState("");
  const [scope, setScope] = useState<string[]>([]);
  const bottom = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const busy = status === "submitted" || status === "streaming";

  useEffect(() => {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    if (!saved) return;
    const { id, messages: stored } = JSON.parse(saved) as { id: string; messages: ChatMessage[] };
    // Restoring this tab's conversation from sessionStorage, which the server render cannot read.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setConversation({ id, initial: stored });
  }, []);
  // Only "New conversation" empties the stored conversation.
  useEffect(() => {
    if (!busy && messages.length) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ id: chatId, messages }));
  }, [messages, busy, chatId]);
  useEffect(() => {
    if (status === "ready") void queryClient.invalidateQueries({ queryKey: CONVERSATIONS_KEY });
  }, [status, queryClient]);

  const startNew = () => {
    sessionStorage.removeItem(STORAGE_KEY);
    setConversation({ id: crypto.randomUUID(), initial: [] });
  };
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [messages]);

  const ask = () => {
    const text = draft.trim();
    if (!text || busy) return;
    clearError();
    void send(text, scope.length ? { products: scope } : {});
    setDraft("");
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_16rem]">
      <section className="flex min-h-[60vh] flex-col" aria-label="Conversation">
        <div className="flex-1 space-y-6 pb-6">
          {messages.length === 0 ? (
            <div className={`${card} p-6 text-sm text-zinc-600 dark:text-zinc-300`}>
              <p className="font-medium text-zinc-900 dark:text-zinc-100">Ask the data mesh a question in plain language.</p>
              <p className="mt-1">
                The portal finds the relevant data products, searches their records, and answers with citations you can open.
              </p>
              <ul className="mt-3 list-disc space-y-1 pl-5">
                {["Which customers were charged twice?", "What broke on the assembly line recently?", "Which job openings are for data people?"].map((example) => (
                  <li key={example}>
                    <button type="button" className="text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => setDraft(example)}>
                      {example}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {messages.map((message) => (
            <article key={message.id} aria-label={message.role === "user" ? "Question" : "Answer"} className={message.role === "user" ? "flex justify-end" : ""}>
              {message.role === "user" ? (
                <p className="max-w-[85%] whitespace-pre-wrap rounded-2xl rounded-br-sm bg-indigo-600 px-4 py-2 text-sm text-white">
                  {message.parts.map((part) => (part.type === "text" ? part.text : "")).join("")}
                </p>
              ) : (
                <div className="space-y-3 text-sm">
                  {message.parts.map((part, index) =>
                    part.type === "data-sources" ? (
                      <Sources key={index} data={part.data} />
                    ) : part.type === "text" ? (
                      <AnswerText key={index} text={part.text} />
                    ) : null,
                  )}
                </div>
              )}
            </article>
          ))}
          {status === "submitted" ? (
            <p className="animate-pulse text-sm text-zinc-500 dark:text-zinc-400" role="status">
              Finding the right products and searching their records…
            </p>
          ) : null}
          {error ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200">
              {errorText(error)}
            </p>
          ) : null}
          <div ref={bottom} />
        </div>

        <form
          className={`${card} sticky bottom-4 p-3`}
          onSubmit={(event) => {
            event.preventDefault();
            ask();
          }}
        >
          <label htmlFor="chat-question" className="sr-only">
            Your question
          </label>
          <textarea
            id="chat-question"
            rows={2}
            value={draft}
            maxLength={limits.questionLength}
            placeholder="Ask a question… (Enter to send, Shift+Enter for a new line)"
            className={`${input} resize-none border-0 shadow-none focus:ring-0`}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                ask();
              }
            }}
          />
          <div className="mt-2 flex items-center justify-between gap-3">
            <span className="text-xs text-zinc-500 dark:text-zinc-400">
              {scope.length ? `Only ${scope.length} chosen product${scope.length === 1 ? "" : "s"}` : "Discovery picks the products"} · {draft.length}/{limits.questionLength}
            </span>
            <div className="flex gap-2">
              {messages.length > 0 && !busy ? (
                <button type="button" className={button.ghost} onClick={startNew}>
                  New conversation
                </button>
              ) : null}
              {busy ? (
                <button type="button" className={button.secondary} onClick={() => stop()}>
                  Stop
                </button>
              ) : null}
              <button type="submit" className={button.primary} disabled={busy || !draft.trim()}>
                Ask
              </button>
            </div>
          </div>
        </form>
      </section>

      <aside aria-labelledby="scope-title" className="space-y-2 lg:sticky lg:top-20 lg:self-start">
        <Conversations
          current={chatId}
          onOpen={(id, stored) => setConversation({ id, initial: stored })}
          onDeleted={(id) => {
            if (id === chatId) startNew();
          }}
        />
        <h2 id="scope-title" className="text-sm font-semibold">
          Limit to products
        </h2>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Leave all unticked to let discovery choose. At most {limits.products}.
        </p>
        <ul className="space-y-1.5 text-sm">
          {products.map((product) => (
            <li key={product.address}>
              <label className="flex items-start gap-2">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 accent-indigo-600"
                  checked={scope.includes(product.address)}
                  disabled={!scope.includes(product.address) && scope.length >= limits.products}
                  onChange={() =>
                    setScope((current) =>
                      current.includes(product.address) ? current.filter((address) => address !== product.address) : [...current, product.address],
                    )
                  }
                />
                <span>
                  {product.title}
                  <span className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">
                    {product.address}
                    {product.searchable ? "" : " · not searchable"}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
