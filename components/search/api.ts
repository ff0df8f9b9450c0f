import { queryApiPath, semanticSearchApiPath } from "@/lib/paths";
import type { SemanticQueryResult, SemanticSearchStatus } from "@/lib/validation/semantic-search";

/** Browser calls of the semantic search API; errors carry the server's message. */

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(body.error ?? `Request failed (${response.status})`);
  return body as T;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

export const fetchStatus = (domain: string, name: string) => call<SemanticSearchStatus>(semanticSearchApiPath({ domain, name }));
export const putConfig = (domain: string, name: string, config: { model: string; fields: string[] }) =>
  call<SemanticSearchStatus>(semanticSearchApiPath({ domain, name }), json("PUT", config));
export const disable = (domain: string, name: string) => call<void>(semanticSearchApiPath({ domain, name }), { method: "DELETE" });
export const query = (domain: string, name: string, question: string, k = 10) =>
  call<SemanticQueryResult>(queryApiPath({ domain, name }), json("POST", { question, k }));
