import { api } from "@/components/api-client";
import { inferenceApiPath, inferenceRunApiPath, transformApiPath } from "@/lib/paths";
import type { InferenceInput, InferenceStatus, TransformResult } from "@/lib/validation/inference";

/** Browser calls of the AI inference API (errors: ApiError). */

export const inferenceKey = (domain: string, name: string) => ["inference", domain, name];
export const fetchInference = (domain: string, name: string) => api<InferenceStatus>(inferenceApiPath({ domain, name }));
export const putInference = (domain: string, name: string, config: InferenceInput) =>
  api<InferenceStatus>(inferenceApiPath({ domain, name }), { method: "PUT", body: config });
export const disableInference = (domain: string, name: string) => api<void>(inferenceApiPath({ domain, name }), { method: "DELETE" });
export const startRun = (domain: string, name: string, force = false) =>
  api<InferenceStatus>(inferenceRunApiPath({ domain, name }), { method: "POST", body: force ? { force } : {} });
export const cancelRun = (domain: string, name: string) => api<InferenceStatus>(inferenceRunApiPath({ domain, name }), { method: "DELETE" });
export const transformKey = (domain: string, name: string, key: string) =>
  api<TransformResult>(transformApiPath({ domain, name }), { method: "POST", body: { key } });
