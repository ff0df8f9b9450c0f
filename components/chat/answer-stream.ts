"use client";

import { useEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/validation/chat";

/**
 * The chat's browser side of POST /api/chat: sends the conversation and reads
 * the answer, an AI SDK UI message stream (server-sent events, one JSON chunk
 * each, ending with [DONE]), into the assistant's message. It reads only what
 * the chat route writes (text, data parts, errors) and ignores the rest; the
 * page ships this instead of the AI SDK's browser client, which brings its
 * providers and zod (about 100 kB compressed).
 */

export type ChatStatus = "ready" | "submitted" | "streaming" | "error";

type Part = ChatMessage["parts"][number];
/** A chunk of the stream, as far as the chat reads it. */
export type StreamChunk = { type: string; [field: string]: unknown };
/** The answer being read: its message, and where each text part still streaming is (by the stream's part id). */
export interface Answer {
  message: ChatMessage;
  texts: Record<string, number>;
}

export const newAnswer = (): Answer => ({ message: { id: crypto.randomUUID(), role: "assistant", parts: [] }, texts: {} });

/** The answer after one chunk: new objects when anything changed (React state), never mutated. */
export function applyChunk(answer: Answer, chunk: StreamChunk): Answer {
  const { message, texts } = answer;
  const parts = message.parts;
  switch (chunk.type) {
    case "start":
      return typeof chunk.messageId === "string" ? { message: { ...message, id: chunk.messageId }, texts } : answer;
    case "text-start":
      return { message: { ...message, parts: [...parts, { type: "text", text: "", state: "streaming" }] }, texts: { ...texts, [String(chunk.id)]: parts.length } };
    case "text-delta":
    case "text-end": {
      const index = texts[String(chunk.id)];
      const part = index === undefined ? undefined : parts[index];
      if (index === undefined || part?.type !== "text") return answer;
      const next: Part = chunk.type === "text-delta" ? { ...part, text: part.text + String(chunk.delta ?? "") } : { ...part, state: "done" };
      return { message: { ...message, parts: parts.with(index, next) }, texts };
    }
    case "error":
      throw new Error(typeof chunk.errorText === "string" ? chunk.errorText : "The answer failed");
    default: {
      if (!chunk.type.startsWith("data-") || chunk.transient) return answer;
      const part = { type: chunk.type, data: chunk.data, ...(typeof chunk.id === "string" ? { id: chunk.id } : {}) } as Part;
      // A data part with the id of an earlier one replaces it.
      const index = typeof chunk.id === "string" ? parts.findIndex((old) => old.type === chunk.type && "id" in old && old.id === chunk.id) : -1;
      return { message: { ...message, parts: index < 0 ? [...parts, part] : parts.with(index, part) }, texts };
    }
  }
}

/** The JSON chunks of a UI message stream. */
export async function* streamChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamChunk> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (!data) continue;
      if (data === "[DONE]") return;
      yield JSON.parse(data) as StreamChunk;
    }
  }
}

/**
 * The conversation `id` with its messages (`initial` when the id changes), how
 * far the answer is, and `send` / `stop` / `clearError`. `send`'s `body` goes
 * with the request (the chosen products).
 */
export function useAnswerStream({ id, initial, api }: { id: string; initial: ChatMessage[]; api: string }) {
  const [chat, setChat] = useState({ id, messages: initial });
  const [status, setStatus] = useState<ChatStatus>("ready");
  const [error, setError] = useState<Error>();
  const request = useRef<AbortController | null>(null);
  if (chat.id !== id) setChat({ id, messages: initial });
  // Another conversation (or leaving the page) ends the answer under way.
  useEffect(() => () => request.current?.abort(), [id]);
  const messages = chat.messages;

  async function send(text: string, body: Record<string, unknown> = {}) {
    const question: ChatMessage = { id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text }] };
    const history = [...messages, question];
    const controller = new AbortController();
    request.current = controller;
    const show = (all: ChatMessage[]) => setChat((current) => (current.id === id ? { id, messages: all } : current));
    show(history);
    setError(undefined);
    setStatus("submitted");
    try {
      const response = await fetch(api, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...body, id, messages: history, trigger: "submit-message" }),
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new Error((await response.text()) || `The answer failed (HTTP ${response.status})`);
      let answer = newAnswer();
      for await (const chunk of streamChunks(response.body)) {
        answer = applyChunk(answer, chunk);
        show([...history, answer.message]);
        setStatus("streaming");
      }
      setStatus("ready");
    } catch (failure) {
      if (controller.signal.aborted) {
        setStatus("ready");
        return;
      }
      setError(failure instanceof Error ? failure : new Error(String(failure)));
      setStatus("error");
    } finally {
      if (request.current === controller) request.current = null;
    }
  }

  return {
    messages,
    status,
    error,
    send,
    stop: () => request.current?.abort(),
    clearError: () => setError(undefined),
  };
}
