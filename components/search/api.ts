import { api } from "@/components/api-client";
import { queryApiPath, semanticSearchApiPath } from "@/lib/paths";
import type { SemanticQueryResult, SemanticSearchInput, SemanticSearchStatus } from "@/lib/validation/semantic-search";

/** Browser calls of the semantic search API (errors: ApiError). */

export const fetchStatus = (domain: string, name: string) => api<SemanticSearchStatus>(semanticSearchApiPath({ domain, name }));
export const putConfig = (domain: string, name: string, config: SemanticSearchInput) =>
  api<SemanticSearchStatus>(semanticSearchApiPath({ domain, name }), { method: "PUT", body: config });
export const disable = (domain: string, name: string) => api<void>(semanticSearchApiPath({ domain, name }), { method: "DELETE" });
export const query = (domain: string, name: string, question: string, k = 10) =>
  api<SemanticQueryResult>(queryApiPath({ domain, name }), { method: "POST", body: { question, k } });
