import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as loadRoute } from "@/app/api/products/[domain]/[name]/records/route";
import { PUT } from "@/app/api/products/[domain]/[name]/capabilities/semantic-search/route";
import { POST as queryRoute } from "@/app/api/products/[domain]/[name]/query/route";
import { GET as discoveryRoute } from "@/app/api/discovery/route";
import { POST as registerRoute } from "@/app/api/products/route";
import { findSemanticSearch } from "@/lib/db/semantic-search";
import { getProduct } from "@/lib/db/products";
import { wireProtocol } from "@/tests/helpers/databases";
import { createTestUser, type TestUser } from "@/tests/helpers/users";
import { db } from "@/lib/db/client";

/**
 * Record retrieval quality on the hand-written evaluation set beside the
 * repository (../shared/eval/dev-set.json): every product is registered and
 * loaded through the API, semantic search is enabled on its
 * `semanticSearchFields`, and each (question, gold product) pair asks that
 * product for its top 5. The floor sits a little under the measured value,
 * so that a real regression fails the test.
 */

const DEV_SET = path.resolve(process.cwd(), "..", "shared", "eval", "dev-set.json");
/** Measured 0.786 (22/28) with local/use-lite, hybrid and vector-only alike; see README "Retrieval quality". */
const RECALL_AT_5_FLOOR = 0.75;
/** Measured 0.893 (25/28) with local/use-lite; see README "Retrieval quality". */
const DISCOVERY_RECALL_AT_3_FLOOR = 0.85;

interface DevSet {
  products: { domain: string; name: string; semanticSearchFields: string[]; records: object[]; [key: string]: unknown }[];
  questions: { id: string; question: string; products: string[]; records: string[] }[];
}

/** An admin: it may register products in every domain. */
let admin: TestUser;
const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json", ...admin.auth }, body: JSON.stringify(body) });
const at = (domain: string, name: string) => ({ params: Promise.resolve({ domain, name }) });

// Elsewhere the set may be missing (a clone on its own); CI must never skip it silently.
if (process.env.CI === "true" && !existsSync(DEV_SET)) {
  throw new Error(`CI=true but the evaluation set ${DEV_SET} is missing: CI runs from a clone beside ../shared`);
}

describe.skipIf(!existsSync(DEV_SET))(`evaluation set ${existsSync(DEV_SET) ? "" : "(skipped: ../shared/eval/dev-set.json not found)"}`, () => {
  const set = existsSync(DEV_SET) ? (JSON.parse(readFileSync(DEV_SET, "utf8")) as DevSet) : { products: [], questions: [] };
  let teardown: () => Promise<void>;

  beforeAll(async () => {
    teardown = await wireProtocol.start();
    admin = await createTestUser({ role: "admin" });
    for (const domain of new Set(set.products.map((product) => product.domain))) await db().domain.create({ data: { name: domain } });
    for (const { records, semanticSearchFields, ...definition } of set.products) {
      const { domain, name } = definition;
      expect((await registerRoute(new Request("http://localhost/api/products", json(definition)), undefined)).status).toBe(201);
      const loaded = await (await loadRoute(new Request(`http://localhost/api/products/${domain}/${name}/records`, json(records)), at(domain, name))).json();
      expect(loaded).toMatchObject({ accepted: records.length, rejectedTotal: 0 });
      const put = await PUT(
        new Request(`http://localhost/api/products/${domain}/${name}/capabilities/semantic-search`, { ...json({ fields: semanticSearchFields }), method: "PUT" }),
        at(domain, name),
      );
      expect(put.status).toBe(202);
    }
    for (const { domain, name } of set.products) {
      const { id } = await getProduct(domain, name);
      for (let attempt = 0; (await findSemanticSearch(id))?.status !== "ready"; attempt++) {
        if (attempt > 1200) throw new Error(`${domain}/${name} did not finish indexing`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }, 300_000);
  afterAll(async () => teardown?.());

  it("finds a gold record in the top 5 of the gold product for most questions (record recall@5)", async () => {
    const misses: string[] = [];
    let pairs = 0;
    for (const question of set.questions) {
      for (const address of question.products) {
        const [domain, name] = address.split("/") as [string, string];
        pairs++;
        const response = await queryRoute(
          new Request(`http://localhost/api/products/${address}/query`, json({ question: question.question, k: 5 })),
          at(domain, name),
        );
        expect(response.status).toBe(200);
        const { results } = (await response.json()) as { results: { key: string }[] };
        const gold = question.records.filter((record) => record.startsWith(`${address}#`)).map((record) => record.split("#")[1]);
        if (!results.some((result) => gold.includes(result.key))) misses.push(`${question.id}@${address}`);
      }
    }
    const recall = (pairs - misses.length) / pairs;
    console.log(`record recall@5 = ${recall.toFixed(3)} (${pairs - misses.length}/${pairs}); missed: ${misses.join(", ") || "none"}`);
    expect(pairs).toBe(28);
    expect(recall).toBeGreaterThanOrEqual(RECALL_AT_5_FLOOR);
  });

  it("ranks a gold product among the top 3 discovered products for most questions (discovery recall@3)", async () => {
    const misses: string[] = [];
    let pairs = 0;
    for (const question of set.questions) {
      const response = await discoveryRoute(new Request(`http://localhost/api/discovery?q=${encodeURIComponent(question.question)}&k=3`, { headers: admin.auth }), undefined);
      expect(response.status).toBe(200);
      const { products } = (await response.json()) as { products: { domain: string; name: string }[] };
      const top3 = products.map((product) => `${product.domain}/${product.name}`);
      for (const address of question.products) {
        pairs++;
        if (!top3.includes(address)) misses.push(`${question.id}@${address}`);
      }
    }
    const recall = (pairs - misses.length) / pairs;
    console.log(`discovery recall@3 = ${recall.toFixed(3)} (${pairs - misses.length}/${pairs}); missed: ${misses.join(", ") || "none"}`);
    expect(pairs).toBe(28);
    expect(recall).toBeGreaterThanOrEqual(DISCOVERY_RECALL_AT_3_FLOOR);
  });
});
