import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as chatRoute } from "@/app/api/chat/route";
import { GET as discoveryRoute } from "@/app/api/discovery/route";
import { PUT as enableRoute } from "@/app/api/products/[domain]/[name]/capabilities/semantic-search/route";
import { POST as loadRoute } from "@/app/api/products/[domain]/[name]/records/route";
import { POST as queryRoute } from "@/app/api/query/route";
import { createTestUser, type TestUser } from "@/tests/helpers/users";
import { db } from "@/lib/db/client";
import { findSemanticSearch } from "@/lib/db/semantic-search";
import { inProcess, uniqueDomain } from "@/tests/helpers/databases";
import { env, resetEnvCache } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getProduct } from "@/lib/db/products";
import { editProduct, registerProduct } from "@/lib/services/products";
import { productInputSchema } from "@/lib/validation/product";
import { discoveryResultSchema, federatedQueryResultSchema, type DiscoveredProduct } from "@/lib/validation/discovery";
import type { SourcesData } from "@/lib/validation/chat";
import { UNRESTRICTED } from "@/lib/mesh/access";
import { federatedQuery } from "@/lib/search/federated";
import { searchProduct } from "@/lib/search/product-search";

/**
 * The federated query (POST /api/query), discovery (GET /api/discovery) and
 * the chat (POST /api/chat) through their route handlers, on an in-process
 * PGlite with the real offline embedding model (USE-lite). Five small
 * products on distinct topics; one has no semantic search, one has an
 * unhelpful name and description and is found by what its records hold.
 */

const text = (name: string, required = false) => ({ name, type: "string" as const, required });

const PRODUCTS = {
  hotel: {
    name: "hotel-bookings",
    title: "Hotel Bookings",
    description: "Guest reservations at our hotels: rooms, check-in and check-out dates, special requests and cancellations.",
    tags: ["hospitality"],
    schema: {
      primaryKey: "booking_id",
      fields: [text("booking_id", true), text("request"), { name: "room_rate_usd", type: "number" as const, required: false, description: "Nightly room rate in US dollars." }],
    },
    records: [
      { booking_id: "H-1", request: "Late check-in after midnight, the guest arrives on a delayed flight.", room_rate_usd: 120 },
      { booking_id: "H-2", request: "Cancelled the suite because of a family emergency.", room_rate_usd: 340 },
      { booking_id: "H-3", request: "Asked for extra pillows and a crib for the baby.", room_rate_usd: 150 },
      { booking_id: "H-4", request: "Two rooms with an ocean view for a honeymoon couple.", room_rate_usd: 210 },
      { booking_id: "H-5", request: "Complained about a noisy air conditioner in room 412.", room_rate_usd: 130 },
    ],
    semantic: ["request"],
  },
  fleet: {
    name: "fleet-maintenance",
    title: "Fleet Maintenance",
    description: "Service and repair log of the company's delivery trucks and vans.",
    tags: ["logistics"],
    schema: { primaryKey: "job_id", fields: [text("job_id", true), text("work")] },
    records: [
      { job_id: "F-1", work: "Replaced the worn brake pads and discs on van 17." },
      { job_id: "F-2", work: "Oil change and a new air filter for truck 3." },
      { job_id: "F-3", work: "Flat tyre repaired at the roadside on the motorway." },
      { job_id: "F-4", work: "Engine warning light: the diagnostic found a faulty sensor." },
      { job_id: "F-5", work: "Cracked windscreen from a stone chip replaced." },
    ],
    semantic: ["work"],
  },
  recipes: {
    name: "canteen-recipes",
    title: "Canteen Recipes",
    description: "Dishes cooked in the staff canteen, with their ingredients and cooking steps.",
    tags: ["food"],
    schema: { primaryKey: "dish_id", fields: [text("dish_id", true), text("recipe")] },
    records: [
      { dish_id: "R-1", recipe: "Tomato soup with basil and garlic, simmered for twenty minutes." },
      { dish_id: "R-2", recipe: "Chocolate cake baked with dark cocoa and butter." },
      { dish_id: "R-3", recipe: "Grilled salmon with lemon and dill." },
      { dish_id: "R-4", recipe: "Vegetable curry with coconut milk and chickpeas." },
      { dish_id: "R-5", recipe: "Pancakes with maple syrup and blueberries." },
    ],
    semantic: ["recipe"],
  },
  library: {
    name: "library-loans",
    title: "Library Loans",
    description: "Books borrowed from the company library, with due dates.",
    tags: ["books"],
    schema: { primaryKey: "loan_id", fields: [text("loan_id", true), text("book")] },
    records: [
      { loan_id: "L-1", book: "A history of the printing press." },
      { loan_id: "L-2", book: "Introduction to statistics." },
    ],
    semantic: null,
  },
  permits: {
    name: "building-permits",
    title: "Building Permits",
    description: "Applications for building permits to the city council, with their decision.",
    tags: ["city"],
    schema: { primaryKey: "permit_id", fields: [text("permit_id", true), text("decision")] },
    records: [
      { permit_id: "BP-1", decision: "approved" },
      { permit_id: "BP-2", decision: "declined" },
      { permit_id: "BP-3", decision: "approved" },
      { permit_id: "BP-4", decision: "declined" },
      { permit_id: "BP-5", decision: "withdrawn" },
      { permit_id: "BP-6", decision: "approved" },
    ],
    semantic: null,
  },
  opaque: {
    name: "dataset-x",
    title: "Dataset X",
    description: "Export 7 from system B.",
    tags: [],
    schema: { primaryKey: "ref", fields: [text("ref", true), text("txt")] },
    records: [
      { ref: "X-1", txt: "A pair of barn owls nesting in the old oak tree near the river." },
      { ref: "X-2", txt: "A flock of geese flying south over the lake at dawn." },
      { ref: "X-3", txt: "A red-tailed hawk circling above the meadow." },
      { ref: "X-4", txt: "A woodpecker drumming on a pine trunk in the forest." },
      { ref: "X-5", txt: "A heron standing still in the shallow pond, hunting fish." },
    ],
    semantic: ["txt"],
  },
} as const;

const HOSTED_ENV = ["OPENAI_API_KEY", "OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_CHAT_MODEL", "PUBLIC_READ"] as const;

let admin: TestUser;
let domain: string;
const address = (product: { name: string }) => `${domain}/${product.name}`;
const at = (name: string) => ({ params: Promise.resolve({ domain, name }) });
const post = (url: string, body: unknown, auth: object | null = admin.auth) =>
  new Request(url, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: typeof body === "string" ? body : JSON.stringify(body) });

async function query(body: unknown, auth: object | null = admin.auth) {
  const response = await queryRoute(post("http://localhost/api/query", body, auth), undefined);
  return { status: response.status, body: await response.json() };
}

async function discovery(q: string, auth: object | null = admin.auth): Promise<{ status: number; products: DiscoveredProduct[] }> {
  const response = await discoveryRoute(new Request(`http://localhost/api/discovery?${new URLSearchParams({ q })}`, { headers: { ...auth } }), undefined);
  const body = await response.json();
  return { status: response.status, products: response.ok ? discoveryResultSchema.parse(body).products : [] };
}

type Chunk = { type: string; [key: string]: unknown };

async function chat(question: string, user: TestUser | null = admin, products?: string[]) {
  const body = { id: "chat-1", messages: [{ id: "m-1", role: "user", parts: [{ type: "text", text: question }] }], ...(products ? { products } : {}) };
  const response = await chatRoute(post("http://localhost/api/chat", body, user?.auth ?? null), undefined);
  const raw = await response.text();
  const chunks = response.ok
    ? raw
        .split("\n")
        .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
        .map((line) => JSON.parse(line.slice(6)) as Chunk)
    : [];
  return { status: response.status, raw, chunks, json: response.ok ? null : (JSON.parse(raw) as { error: string; code: string }) };
}

describe(`federated query, discovery and chat — ${inProcess.name}`, () => {
  let teardown: () => Promise<void>;
  const savedEnv: Partial<Record<string, string>> = {};

  beforeAll(async () => {
    // The offline composer answers; no hosted model, and no anonymous reads.
    for (const key of HOSTED_ENV) {
      savedEnv[key] = process.env[key];
      delete process.env[key];
    }
    resetEnvCache();
    teardown = await inProcess.start();
    admin = await createTestUser({ role: "admin" });
    domain = uniqueDomain("fed");
    await db().domain.create({ data: { name: domain } });
    for (const { records, semantic, ...definition } of Object.values(PRODUCTS)) {
      await registerProduct(admin.actor, productInputSchema.parse({ ...definition, tags: [...definition.tags], domain, owner: "mesh@example.com", status: "active" }));
      const loaded = await (await loadRoute(post(`http://localhost/api/products/${domain}/${definition.name}/records`, records), at(definition.name))).json();
      expect(loaded).toMatchObject({ accepted: records.length, rejectedTotal: 0 });
      if (semantic) {
        const response = await enableRoute(
          new Request(`http://localhost/api/products/${domain}/${definition.name}/capabilities/semantic-search`, {
            method: "PUT",
            headers: { "content-type": "application/json", ...admin.auth },
            body: JSON.stringify({ fields: semantic }),
          }),
          at(definition.name),
        );
        expect(response.status).toBe(202);
      }
    }
    for (const product of Object.values(PRODUCTS)) {
      if (!product.semantic) continue;
      const { id } = await getProduct(domain, product.name);
      // Ready: records, their words and the indexes discovery reads are in place.
      for (let attempt = 0; ; attempt++) {
        if ((await findSemanticSearch(id))?.status === "ready") break;
        if (attempt > 600) throw new Error(`${product.name} did not finish indexing`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });

  afterAll(async () => {
    await teardown?.();
    for (const key of HOSTED_ENV) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    resetEnvCache();
  });

  describe("POST /api/query", () => {
    it("puts the product of the question's topic first, with its matching record on top", async () => {
      const { status, body } = await query({ question: "which van needed new brakes?" });
      expect(status).toBe(200);
      const result = federatedQueryResultSchema.parse(body);
      expect(result.products.length).toBeGreaterThanOrEqual(1);
      expect(result.products.length).toBeLessThanOrEqual(3);
      const [first] = result.products;
      expect(first).toMatchObject({ domain, name: PRODUCTS.fleet.name, title: "Fleet Maintenance", status: "ok", fields: ["work"] });
      expect(first!.score).toBeGreaterThan(0);
      expect(first!.results[0]).toMatchObject({ key: "F-1", record: PRODUCTS.fleet.records[0] });
      expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.retrievalMs);
      expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.discoveryMs);
      expect(Object.keys(result.timings).sort()).toEqual(["discoveryMs", "retrievalMs", "totalMs"]);
    });

    it("asks only the named products, in order, and reports one without semantic search as skipped", async () => {
      const { status, body } = await query({ question: "a soup with garlic", k: 2, products: [address(PRODUCTS.recipes), address(PRODUCTS.library)] });
      expect(status).toBe(200);
      const result = federatedQueryResultSchema.parse(body);
      expect(result.products.map((product) => [product.name, product.status, product.score])).toEqual([
        [PRODUCTS.recipes.name, "ok", null],
        [PRODUCTS.library.name, "skipped", null],
      ]);
      const [recipes, library] = result.products;
      expect(recipes!.results).toHaveLength(2);
      expect(recipes!.results[0]!.key).toBe("R-1");
      expect(library!.reason).toBe(`Semantic search is not enabled for ${address(PRODUCTS.library)}; its owner can enable it on the product page.`);
      expect(library!.results).toEqual([]);
      expect(library!.fields).toEqual([]);
    });

    it("refuses an unknown named product, an empty question and more than 5 products with 422", async () => {
      const unknown = await query({ question: "anything", products: [address(PRODUCTS.fleet), `${domain}/no-such-product`] });
      expect(unknown.status).toBe(422);
      expect(unknown.body.fieldErrors.products).toEqual([`No data product ${domain}/no-such-product`]);

      const empty = await query({ question: "   " });
      expect(empty.status).toBe(422);
      expect(empty.body.fieldErrors.question).toEqual(["Ask a question"]);

      const six = await query({ question: "anything", products: ["a/b", "a/c", "a/d", "a/e", "a/f", "a/g"] });
      expect(six.status).toBe(422);
      expect(six.body.fieldErrors.products).toEqual(["At most 5 products per question"]);

      expect((await query({ question: "x".repeat(1001) })).status).toBe(422);
      expect((await query({ question: "anything", extra: true })).status).toBe(422);
    });

    it("refuses a request without credentials with 401", async () => {
      const response = await query({ question: "which van needed new brakes?" }, null);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe("unauthorized");
    });
  });

  describe("federatedQuery failure isolation", () => {
    it("answers from the healthy products when one throws and another never answers", async () => {
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        const result = await federatedQuery(
          {
            question: "late arrival at the hotel",
            k: 5,
            products: [address(PRODUCTS.fleet), address(PRODUCTS.hotel), address(PRODUCTS.recipes), address(PRODUCTS.opaque)],
          },
          UNRESTRICTED,
          {
            // Long enough for a real search (question and word embeddings, hybrid SQL) on a loaded machine.
            timeoutMs: 1000,
            retrieve: (product, query) => {
              if (product.name === PRODUCTS.fleet.name) return Promise.reject(new Error("connection reset by peer"));
              if (product.name === PRODUCTS.recipes.name) return new Promise(() => {});
              if (product.name === PRODUCTS.opaque.name) return Promise.reject(new AppError("conflict", "Semantic search of dataset-x is still indexing"));
              return searchProduct(product, query);
            },
          },
        );
        expect(result.products.map((product) => [product.name, product.status, product.reason])).toEqual([
          [PRODUCTS.fleet.name, "error", "the product's search failed"],
          [PRODUCTS.hotel.name, "ok", undefined],
          [PRODUCTS.recipes.name, "error", "no answer within 1000 ms"],
          [PRODUCTS.opaque.name, "skipped", "Semantic search of dataset-x is still indexing"],
        ]);
        expect(result.products[1]!.results[0]!.key).toBe("H-1");
        for (const failed of [result.products[0]!, result.products[2]!]) expect([failed.results, failed.fields]).toEqual([[], []]);
        // The unexpected failure is logged on the server, not shown to the caller.
        expect(errors).toHaveBeenCalledWith(`Federated query of ${address(PRODUCTS.fleet)} failed:`, expect.objectContaining({ message: "connection reset by peer" }));
        expect(JSON.stringify(result)).not.toContain("connection reset");
      } finally {
        errors.mockRestore();
      }
    });
  });

  describe("GET /api/discovery", () => {
    it("ranks the right product first for a paraphrased question", async () => {
      const { status, products } = await discovery("which meals does the cafeteria prepare");
      expect(status).toBe(200);
      expect(products[0]).toMatchObject({ domain, name: PRODUCTS.recipes.name, status: "active" });
      expect(products[0]!.reasons.join(" ")).toMatch(/close in meaning/);
      expect(products).toHaveLength(Object.keys(PRODUCTS).length);
    });

    it("finds a product with an unhelpful name and description by its record contents", async () => {
      const { products } = await discovery("where were owls and hawks seen");
      expect(products[0]!.name).toBe(PRODUCTS.opaque.name);
      expect(products[0]!.reasons[0]).toMatch(/^record X-\d+ close in meaning \(similarity 0\.\d\d, rank 1\)$/);
    });

    it("ranks a deprecated product after all others even when it matches best, saying so", async () => {
      const question = "brake repairs on our delivery vans";
      expect((await discovery(question)).products[0]!.name).toBe(PRODUCTS.fleet.name);
      await editProduct(admin.actor, { domain, name: PRODUCTS.fleet.name }, { status: "deprecated" });
      try {
        const { products } = await discovery(question);
        expect(products).toHaveLength(Object.keys(PRODUCTS).length);
        expect(products.at(-1)).toMatchObject({ name: PRODUCTS.fleet.name, status: "deprecated" });
        expect(products.at(-1)!.reasons.at(-1)).toBe("deprecated: ranked last");
        expect(products.slice(0, -1).every((product) => product.status !== "deprecated")).toBe(true);
        // It still matches best: its score beats the product ranked first.
        expect(products.at(-1)!.score).toBeGreaterThan(products[0]!.score);
      } finally {
        await editProduct(admin.actor, { domain, name: PRODUCTS.fleet.name }, { status: "active" });
      }
    });

    it("refuses an empty question with 422 and a visitor with 401", async () => {
      expect((await discovery("  ")).status).toBe(422);
      expect((await discovery("owls", null)).status).toBe(401);
    });
  });

  describe("POST /api/chat", () => {
    it("streams the consulted products and citations before the answer, which cites a record", async () => {
      const { status, chunks } = await chat("which van needed new brakes?");
      expect(status).toBe(200);
      const sourcesAt = chunks.findIndex((chunk) => chunk.type === "data-sources");
      const firstText = chunks.findIndex((chunk) => chunk.type === "text-delta");
      expect(sourcesAt).toBeGreaterThanOrEqual(0);
      expect(firstText).toBeGreaterThan(sourcesAt);
      const sources = chunks[sourcesAt]!.data as SourcesData;
      expect(sources.question).toBe("which van needed new brakes?");
      const fleet = sources.products.find((product) => product.name === PRODUCTS.fleet.name);
      expect(fleet).toMatchObject({ domain, status: "ok" });
      expect(fleet!.citations[0]).toEqual({ key: "F-1", href: `/products/${domain}/${PRODUCTS.fleet.name}/records/F-1` });
      expect(fleet!.reason).toBeUndefined();
      // A product consulted whose records say nothing of brakes is reported as such (calibrated relevance).
      expect(sources.products.find((product) => product.name === PRODUCTS.recipes.name)).toMatchObject({ status: "ok", reason: "none of its records is close to the question" });

      const answer = chunks
        .filter((chunk) => chunk.type === "text-delta")
        .map((chunk) => chunk.delta as string)
        .join("");
      expect(answer).toContain(`[F-1](/products/${domain}/${PRODUCTS.fleet.name}/records/F-1)`);
      // The first sentence names the closest record and quotes its most relevant sentence.
      expect(answer).toMatch(new RegExp(`^The closest Fleet Maintenance record is \\[F-1\\]\\(/products/${domain}/${PRODUCTS.fleet.name}/records/F-1\\): “Replaced the worn brake pads`));
      // Every cited record is one the sources list.
      const cited = [...answer.matchAll(/\]\((\/products\/[^)]+\/records\/[^)]+)\)/g)].map((match) => match[1]);
      const listed = sources.products.flatMap((product) => product.citations.map((citation) => citation.href));
      expect(cited.length).toBeGreaterThan(0);
      expect(new Set(cited)).toEqual(new Set(listed));
    });

    it("answers a named product without semantic search from its fields only, ranked by the question's words", async () => {
      const { chunks } = await chat("books about statistics", admin, [address(PRODUCTS.library)]);
      const sources = chunks.find((chunk) => chunk.type === "data-sources")!.data as SourcesData;
      expect(sources.products).toEqual([
        expect.objectContaining({ name: PRODUCTS.library.name, status: "ok", reason: "semantic search is not enabled: answered from its fields only" }),
      ]);
      const answer = chunks.filter((chunk) => chunk.type === "text-delta").map((chunk) => chunk.delta as string).join("");
      expect(answer).toMatch(new RegExp(`^\\[L-2\\]\\(/products/${domain}/${PRODUCTS.library.name}/records/L-2\\) is the Library Loans record that best matches: book is \\*\\*Introduction to statistics\\.\\*\\*`));
    });

    it("counts the records of a value the question names by a synonym (WordNet), and says how it read it", async () => {
      const { chunks } = await chat("How many permit applications did the council turn down?", admin, [address(PRODUCTS.permits)]);
      const answer = chunks.filter((chunk) => chunk.type === "text-delta").map((chunk) => chunk.delta as string).join("");
      expect(answer).toMatch(/^\*\*2\*\* Building Permits records match: decision is declined\./);
      expect(answer).toContain('read "turn down" as decision = declined');
    });

    it("declines an average of something no field or record holds, and answers the one a field names", async () => {
      const answerOf = async (question: string) => {
        const { chunks } = await chat(question, admin, [address(PRODUCTS.hotel)]);
        return chunks.filter((chunk) => chunk.type === "text-delta").map((chunk) => chunk.delta as string).join("");
      };
      expect(await answerOf("What is the average monthly premium hotel guests pay for travel insurance?")).toMatch(/^I found nothing relevant/);
      expect(await answerOf("What is the average room rate?")).toMatch(/^The average room\\_rate\\_usd is \*\*\$190\*\*/);
    });

    it("refuses a question over 1000 characters with 422, and a visitor with 401", async () => {
      const long = await chat("x".repeat(1001));
      expect(long.status).toBe(422);
      expect(long.json!.error).toBe("Questions are at most 1000 characters");
      const visitor = await chat("which van needed new brakes?", null);
      expect(visitor.status).toBe(401);
    });

    it("answers CHAT_QUESTIONS_PER_MINUTE questions a minute per user and refuses the next with 429 and Retry-After", async () => {
      const MESSAGES_PER_MINUTE = env().CHAT_QUESTIONS_PER_MINUTE;
      const user = await createTestUser();
      const library = [address(PRODUCTS.library)];
      for (let i = 1; i <= MESSAGES_PER_MINUTE; i++) expect((await chat(`question ${i}`, user, library)).status, `question ${i}`).toBe(200);
      const refused = await chat("one too many", user, library);
      expect(refused.status).toBe(429);
      expect(refused.json).toMatchObject({ code: "rate_limited" });
      // Other users are not affected.
      expect((await chat("still fine?", admin, library)).status).toBe(200);
    });
  });
});
