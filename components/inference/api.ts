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

const base = (domain: string, name: string) => `/api/products/${domain}/${name}`;

export const inferenceKey = (domain: string, name: string) => ["inference", domain, name];
export const fetchInference = (domain: string, name: string) => call<InferenceStatus>(`${base(domain, name)}/capabilities/inference`);
export const putInference = (domain: string, name: string, config: InferenceInput) =>
  call<InferenceStatus>(`${base(domain, name)}/capabilities/inference`, json("PUT", config));
export const disableInference = (domain: string, name: string) => call<void>(`${base(domain, name)}/capabilities/inference`, { method: "DELETE" });
export const startRun = (domain: string, name: string, force = false) =>
  call<InferenceStatus>(`${base(domain, name)}/capabilities/inference/run`, json("POST", force ? { force } : {}));
export const cancelRun = (domain: string, name: string) => call<InferenceStatus>(`${base(domain, name)}/capabilities/inference/run`, { method: "DELETE" });
export const transformKey = (domain: string, name: string, key: string) =>
  call<TransformResult>(`${base(domain, name)}/transform`, json("POST", { key }));
