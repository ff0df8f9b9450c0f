import { POST as queryRoute } from "@/app/api/products/[domain]/[name]/query/route";
import type { Observation } from "@/lib/mesh/relevance";
import type { DevSet } from "./dev-sets";
import { discoverProducts } from "./evaluate";

/**
 * Labelled relevance observations for calibrating the per-signal thresholds
 * of lib/mesh/relevance.ts: the top records of every (question, gold product)
 * pair (relevant when gold), and the top records of the products discovery
 * picks for an out-of-scope question (all irrelevant). Asked through
 * POST /api/products/{domain}/{name}/query, whose results carry the signals.
 */

type Headers = Record<string, string>;
const BASE = "http://localhost";

/** Records per query, as the chat retrieves them. */
const TOP = 5;
/** Products the chat consults per question. */
const CONSULTED = 3;

async function signals(auth: Headers, address: string, question: string): Promise<{ key: string; similarity: number | null; lexical?: number | null }[]> {
  const [domain, name] = address.split("/") as [string, string];
  const request = new Request(`${BASE}/api/products/${address}/query`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ question, k: TOP }),
  });
  const response = await queryRoute(request, { params: Promise.resolve({ domain, name }) });
  if (!response.ok) throw new Error(`query ${address}: HTTP ${response.status}`);
  return ((await response.json()) as { results: { key: string; similarity: number | null; lexical?: number | null }[] }).results;
}

export async function relevanceObservations(auth: Headers, set: DevSet): Promise<Observation[]> {
  const observations: Observation[] = [];
  for (const question of set.questions) {
    const addresses = question.products.length ? question.products : await discoverProducts(auth, question.question, CONSULTED);
    for (const address of addresses) {
      const gold = new Set(question.records.filter((record) => record.startsWith(`${address}#`)).map((record) => record.slice(address.length + 1)));
      for (const result of await signals(auth, address, question.question)) {
        observations.push({ similarity: result.similarity, lexical: result.lexical ?? null, relevant: gold.has(result.key) });
      }
    }
  }
  return observations;
}
