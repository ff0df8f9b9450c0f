import { inferenceApiPath, inferenceRunApiPath, transformApiPath } from "@/lib/paths";
import type { InferenceInput, InferenceStatus, TransformResult } from "@/lib/validation/inference";

/** Browser calls of the AI inference API; errors carry the server's message (and the first field error). */

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as { error?: string; fieldErrors?: Record<string, string[]> };
  if (!response.ok) throw new Error(body.error ?? `Request failed (${response.status})`);
  return body as T;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

export const inferenceKey = (domain: string, name: string) => ["inference", domain, name];
export const fetchInference = (domain: string, name: string) => call<InferenceStatus>(inferenceApiPath({ domain, name }));
export const putInference = (domain: string, name: string, config: InferenceInput) =>
  call<InferenceStatus>(inferenceApiPath({ domain, name }), json("PUT", config));
export const disableInference = (domain: string, name: string) => call<void>(inferenceApiPath({ domain, name }), { method: "DELETE" });
export const startRun = (domain: string, name: string, force = false) =>
  call<InferenceStatus>(inferenceRunApiPath({ domain, name }), json("POST", force ? { force } : {}));
export const cancelRun = (domain: string, name: string) => call<InferenceStatus>(inferenceRunApiPath({ domain, name }), { method: "DELETE" });
export const transformKey = (domain: string, name: string, key: string) =>
  call<TransformResult>(transformApiPath({ domain, name }), json("POST", { key }));
