import { POST as chatRoute } from "@/app/api/chat/route";
import { GET as discoveryRoute } from "@/app/api/discovery/route";
import { POST as queryRoute } from "@/app/api/products/[domain]/[name]/query/route";
import type { DevSet } from "./dev-sets";
import { rankMetrics, rankOf, scoreQa, summariseQa, type QaQuestion, type QaScore } from "./score";

/**
 * Runs the evaluation through the portal's REST contracts (the route
 * handlers of GET /api/discovery, POST /api/products/{d}/{n}/query and
 * POST /api/chat), as a script outside the repository would, with the
 * headers of a signed-in analyst.
 */

type Headers = Record<string, string>;
const BASE = "http://localhost";

async function ok(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/** Product addresses (`domain/name`) in discovery's order. */
export async function discoverProducts(auth: Headers, question: string, k: number): Promise<string[]> {
  const response = await ok(await discoveryRoute(new Request(`${BASE}/api/discovery?q=${encodeURIComponent(question)}&k=${k}`, { headers: auth }), undefined), "discovery");
  const { products } = (await response.json()) as { products: { domain: string; name: string }[] };
  return products.map((product) => `${product.domain}/${product.name}`);
}

/** Record keys in the product's semantic query order. */
export async function queryProduct(auth: Headers, address: string, question: string, k: number): Promise<string[]> {
  const [domain, name] = address.split("/") as [string, string];
  const request = new Request(`${BASE}/api/products/${address}/query`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ question, k }),
  });
  const response = await ok(await queryRoute(request, { params: Promise.resolve({ domain, name }) }), `query ${address}`);
  const { results } = (await response.json()) as { results: { key: string }[] };
  return results.map((result) => result.key);
}

/** The answer text the chat streams for one question asked in a new conversation. */
export async function askChat(auth: Headers, question: string): Promise<string> {
  const request = new Request(`${BASE}/api/chat`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ id: `eval-${crypto.randomUUID()}`, messages: [{ id: "q", role: "user", parts: [{ type: "text", text: question }] }] }),
  });
  const response = await ok(await chatRoute(request, undefined), "chat");
  let text = "";
  for (const line of (await response.text()).split("\n")) {
    if (!line.startsWith("data: ")) continue;
    const payload = line.slice("data: ".length);
    if (payload === "[DONE]") continue;
    const part = JSON.parse(payload) as { type: string; delta?: string; errorText?: string };
    if (part.type === "text-delta") text += part.delta ?? "";
    if (part.type === "error") throw new Error(`chat stream error: ${part.errorText}`);
  }
  return text;
}

export interface RetrievalFigures {
  discovery: ReturnType<typeof rankMetrics>;
  records: ReturnType<typeof rankMetrics>;
  recordsAt1: ReturnType<typeof rankMetrics>;
  discoveryMisses: string[];
  recordMisses: string[];
}

const DISCOVERY_K = 3;
const RECORDS_K = 5;

/**
 * Discovery recall@3 and MRR, record recall@5 and recall@1 over the set's
 * (question, gold product) pairs; the record query runs against the gold
 * product even when discovery missed it.
 */
export async function evaluateRetrieval(auth: Headers, set: DevSet): Promise<RetrievalFigures> {
  const discoveryRanks: number[] = [];
  const recordRanks: number[] = [];
  const discoveryMisses: string[] = [];
  const recordMisses: string[] = [];
  for (const question of set.questions) {
    if (!question.products.length) continue;
    const ranked = await discoverProducts(auth, question.question, 10);
    for (const address of question.products) {
      const pair = `${set.file}:${question.id}@${address}`;
      const productRank = rankOf(ranked, [address]);
      discoveryRanks.push(productRank);
      if (productRank === 0 || productRank > DISCOVERY_K) discoveryMisses.push(pair);
      const gold = question.records.filter((record) => record.startsWith(`${address}#`)).map((record) => record.slice(address.length + 1));
      const recordRank = rankOf(await queryProduct(auth, address, question.question, RECORDS_K), gold);
      recordRanks.push(recordRank);
      if (recordRank === 0) recordMisses.push(pair);
    }
  }
  return {
    discovery: rankMetrics(discoveryRanks, DISCOVERY_K),
    records: rankMetrics(recordRanks, RECORDS_K),
    recordsAt1: rankMetrics(recordRanks, 1),
    discoveryMisses,
    recordMisses,
  };
}

/**
 * Each QA question asked through the chat with nothing else in the
 * conversation, scored by the README's rules. `asker` gives the headers of
 * the analyst asking each question (the chat limits questions per user).
 */
export async function evaluateQa(
  asker: () => Promise<Headers>,
  questions: QaQuestion[],
  onAnswer: (question: QaQuestion, answer: string, score: QaScore) => void = () => {},
) {
  const results: { question: QaQuestion; answer: string; score: QaScore }[] = [];
  for (const question of questions) {
    const answer = await askChat(await asker(), question.question);
    const score = scoreQa(question, answer);
    onAnswer(question, answer, score);
    results.push({ question, answer, score });
  }
  return { results, summary: summariseQa(results) };
}
