import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as loadRoute } from "@/app/api/products/[domain]/[name]/records/route";
import { DELETE, GET, PUT } from "@/app/api/products/[domain]/[name]/capabilities/semantic-search/route";
import { POST as queryRoute } from "@/app/api/products/[domain]/[name]/query/route";
import { db } from "@/lib/db/client";
import { countEmbeddings, hasVectorIndex } from "@/lib/db/retrieval";
import { externalPostgres, inProcess, uniqueDomain, wireProtocol } from "@/tests/helpers/databases";
import { resetEnvCache } from "@/lib/env";
import { createTestUser, type TestUser } from "@/tests/helpers/users";
import { registerProduct } from "@/lib/services/products";
import { productInputSchema } from "@/lib/validation/product";
import { semanticQueryResultSchema, semanticSearchStatusSchema, type SemanticSearchStatus } from "@/lib/validation/semantic-search";

/**
 * The semantic search capability through its REST routes, on real databases
 * with the real offline model (USE-lite). A second, OpenAI-compatible model is
 * served by a small local HTTP server, to switch models and to make one fail.
 */

const TICKETS = [
  { ticket_id: "T-1", subject: "Charged twice for my subscription", body: "My card was billed two times this month for the same plan." },
  { ticket_id: "T-2", subject: "Door lock battery drains fast", body: "The smart lock needs new batteries every week since the update." },
  { ticket_id: "T-3", subject: "Thermostat shows wrong temperature", body: "The living room reads 30 degrees but it is cold." },
  { ticket_id: "T-4", subject: "Cannot log in to the app", body: "Password reset email never arrives, account locked." },
  { ticket_id: "T-5", subject: "Camera offline at night", body: "Outdoor camera disconnects from wifi every evening." },
  { ticket_id: "T-6", subject: "Refund for returned router", body: "Returned the router three weeks ago, still waiting for my money back. Order ZX-4471." },
];

const schema = {
  primaryKey: "ticket_id",
  fields: [
    { name: "ticket_id", type: "string" as const, required: true },
    { name: "subject", type: "string" as const, required: true },
    { name: "body", type: "string" as const },
    { name: "csat", type: "integer" as const },
  ],
};

/** A deterministic OpenAI-compatible embeddings API: 8 dimensions from character counts. */
function fakeEmbeddingServer(): Promise<{ url: string; server: Server; failing: { on: boolean } }> {
  const failing = { on: false };
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      if (failing.on || request.url !== "/v1/embeddings") {
        response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "model crashed" } }));
        return;
      }
      const { input } = JSON.parse(body) as { input: string[] };
      const data = input.map((text, index) => ({
        object: "embedding",
        index,
        embedding: Array.from({ length: 8 }, (_, d) => [...text.toLowerCase()].filter((c) => c.charCodeAt(0) % 8 === d).length + 1),
      }));
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data, model: "fake", usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server, failing })));
}

const at = (domain: string, name: string) => ({ params: Promise.resolve({ domain, name }) });
/** The admin every request acts as (permissions are tested in app/authorization.integration.test.ts). */
let admin: TestUser;
const jsonAs = () => ({ "content-type": "application/json", ...admin.auth });
const url = (domain: string, name: string, rest: string) => `http://localhost/api/products/${domain}/${name}/${rest}`;

async function put(domain: string, name: string, body: unknown) {
  const response = await PUT(
    new Request(url(domain, name, "capabilities/semantic-search"), { method: "PUT", headers: jsonAs(), body: JSON.stringify(body) }),
    at(domain, name),
  );
  return { status: response.status, body: await response.json() };
}

async function status(domain: string, name: string): Promise<SemanticSearchStatus> {
  return semanticSearchStatusSchema.parse(await (await GET(new Request(url(domain, name, "capabilities/semantic-search"), { headers: admin.auth }), at(domain, name))).json());
}

async function waitUntilSettled(domain: string, name: string): Promise<SemanticSearchStatus> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const current = await status(domain, name);
    if (current.status !== "indexing") return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("indexing did not finish within 60 s");
}

async function ask(domain: string, name: string, question: string, k = 3) {
  const response = await queryRoute(
    new Request(url(domain, name, "query"), { method: "POST", headers: jsonAs(), body: JSON.stringify({ question, k }) }),
    at(domain, name),
  );
  const body = await response.json();
  return { status: response.status, body, keys: response.ok ? semanticQueryResultSchema.parse(body).results.map((r) => r.key) : [] };
}

async function load(domain: string, name: string, rows: object[]) {
  const response = await loadRoute(
    new Request(url(domain, name, "records"), { method: "POST", headers: jsonAs(), body: JSON.stringify(rows) }),
    at(domain, name),
  );
  return response.json() as Promise<{ accepted: number; rejectedTotal: number }>;
}

async function ticketsProduct(label: string) {
  const domain = uniqueDomain(label);
  await db().domain.create({ data: { name: domain } });
  await registerProduct(admin.actor, productInputSchema.parse({ domain, name: "tickets", title: "Tickets", owner: "cx@example.com", schema }));
  expect(await load(domain, "tickets", TICKETS)).toMatchObject({ accepted: TICKETS.length, rejectedTotal: 0 });
  return domain;
}

for (const variant of [inProcess, wireProtocol, externalPostgres]) {
  describe.skipIf(variant.skip)(`semantic search — ${variant.name}`, () => {
    let teardown: () => Promise<void>;
    let fake: Awaited<ReturnType<typeof fakeEmbeddingServer>>;
    beforeAll(async () => {
      fake = await fakeEmbeddingServer();
      process.env.OPENAI_COMPATIBLE_BASE_URL = fake.url;
      process.env.OPENAI_COMPATIBLE_EMBEDDING_MODEL = "fake-embed";
      process.env.OPENAI_COMPATIBLE_EMBEDDING_DIMENSIONS = "8";
      resetEnvCache();
      teardown = await variant.start();
      admin = await createTestUser({ role: "admin" });
    });
    afterAll(async () => {
      await teardown?.();
      fake.server.close();
      delete process.env.OPENAI_COMPATIBLE_BASE_URL;
      delete process.env.OPENAI_COMPATIBLE_EMBEDDING_MODEL;
      delete process.env.OPENAI_COMPATIBLE_EMBEDDING_DIMENSIONS;
      resetEnvCache();
    });

    it("enables, indexes every record with the offline model, and answers paraphrased and exact-id questions", async () => {
      const domain = await ticketsProduct("ss-enable");
      expect(await status(domain, "tickets")).toMatchObject({ enabled: false, status: null });
      expect((await ask(domain, "tickets", "billing")).status).toBe(409);

      const enabled = await put(domain, "tickets", { fields: ["subject", "body"] });
      expect(enabled.status).toBe(202);
      expect(enabled.body).toMatchObject({ enabled: true, model: "local/use-lite", fields: ["subject", "body"], total: TICKETS.length });
      expect(await waitUntilSettled(domain, "tickets")).toMatchObject({ status: "ready", indexed: TICKETS.length, total: TICKETS.length });
      const product = await db().product.findUniqueOrThrow({ where: { domain_name: { domain, name: "tickets" } } });
      expect(await countEmbeddings(product.id)).toBe(TICKETS.length);
      expect(await hasVectorIndex(product.id)).toBe(true);

      expect((await ask(domain, "tickets", "customer billed two times for one plan")).keys[0]).toBe("T-1");
      expect((await ask(domain, "tickets", "my money for the thing I sent back has not come")).keys[0]).toBe("T-6");
      // An exact code only the full-text side can match.
      expect((await ask(domain, "tickets", "ZX-4471")).keys[0]).toBe("T-6");
      expect((await ask(domain, "tickets", "T-4")).keys[0]).toBe("T-4");

      const same = await put(domain, "tickets", { fields: ["subject", "body"] });
      expect(same.status).toBe(200);
      expect(same.body.status).toBe("ready");
    });

    it("refuses fields that are not string fields of the product, and unknown models", async () => {
      const domain = await ticketsProduct("ss-invalid");
      const integer = await put(domain, "tickets", { fields: ["csat"] });
      expect(integer.status).toBe(422);
      expect(integer.body.fieldErrors.fields.join(" ")).toMatch(/csat is a integer field/);
      expect((await put(domain, "tickets", { fields: ["nope"] })).body.fieldErrors.fields[0]).toMatch(/nope is not a field/);
      expect((await put(domain, "tickets", { fields: [] })).status).toBe(422);
      const model = await put(domain, "tickets", { model: "openai/not-configured", fields: ["subject"] });
      expect(model.status).toBe(422);
      expect(model.body.fieldErrors.model[0]).toMatch(/local\/use-lite/);
      expect((await status(domain, "tickets")).enabled).toBe(false);
    });

    it("embeds records loaded later, and re-embeds a record whose text changed", async () => {
      const domain = await ticketsProduct("ss-incremental");
      await put(domain, "tickets", { fields: ["subject", "body"] });
      await waitUntilSettled(domain, "tickets");
      expect(await load(domain, "tickets", [{ ticket_id: "T-7", subject: "Solar panel inverter beeping", body: "Inverter in the garage beeps all night." }])).toMatchObject({ accepted: 1 });
      expect(await waitUntilSettled(domain, "tickets")).toMatchObject({ status: "ready", indexed: 7, total: 7 });
      expect((await ask(domain, "tickets", "noise from the photovoltaic equipment")).keys[0]).toBe("T-7");

      await load(domain, "tickets", [{ ticket_id: "T-3", subject: "Garden sprinkler floods the lawn", body: "Irrigation does not stop." }]);
      await waitUntilSettled(domain, "tickets");
      const product = await db().product.findUniqueOrThrow({ where: { domain_name: { domain, name: "tickets" } } });
      const embedded = await db().recordEmbedding.findUniqueOrThrow({ where: { productId_key: { productId: product.id, key: "T-3" } } });
      expect(embedded.content).toBe("Garden sprinkler floods the lawn\nIrrigation does not stop.");
      expect((await ask(domain, "tickets", "watering system soaking the grass")).keys[0]).toBe("T-3");
    });

    it("indexes a product some of whose records have none of the searched fields: they have no text to embed", async () => {
      const domain = await ticketsProduct("ss-blank");
      expect(await load(domain, "tickets", [{ ticket_id: "T-8", subject: "No body at all" }, { ticket_id: "T-9", subject: "Blank body", body: " \n " }])).toMatchObject({ accepted: 2 });
      await put(domain, "tickets", { fields: ["body"] });
      expect(await waitUntilSettled(domain, "tickets")).toMatchObject({ status: "ready", indexed: 8, total: 8 });
      const product = await db().product.findUniqueOrThrow({ where: { domain_name: { domain, name: "tickets" } } });
      expect(await countEmbeddings(product.id)).toBe(TICKETS.length);
      expect((await ask(domain, "tickets", "my money for the thing I sent back has not come")).keys[0]).toBe("T-6");

      // A record whose searched text is emptied loses its embedding.
      await load(domain, "tickets", [{ ticket_id: "T-6", subject: "Refund for returned router" }]);
      expect(await waitUntilSettled(domain, "tickets")).toMatchObject({ status: "ready", indexed: 8, total: 8 });
      expect(await countEmbeddings(product.id)).toBe(TICKETS.length - 1);
    });

    it("re-embeds with another model and dimensions when the model changes, and reports a failing model", async () => {
      const domain = await ticketsProduct("ss-model");
      await put(domain, "tickets", { fields: ["subject"] });
      await waitUntilSettled(domain, "tickets");
      const changed = await put(domain, "tickets", { model: "compatible/fake-embed", fields: ["subject", "body"] });
      expect(changed.status).toBe(202);
      expect(await waitUntilSettled(domain, "tickets")).toMatchObject({ status: "ready", model: "compatible/fake-embed", indexed: 6 });
      const product = await db().product.findUniqueOrThrow({ where: { domain_name: { domain, name: "tickets" } } });
      const dims = await db().$queryRaw<{ dims: number }[]>`SELECT DISTINCT vector_dims(embedding) AS dims FROM record_embeddings WHERE product_id = ${product.id}::uuid`;
      expect(dims).toEqual([{ dims: 8 }]);
      const rows = await db().recordEmbedding.findMany({ where: { productId: product.id }, select: { model: true } });
      expect(new Set(rows.map((row) => row.model))).toEqual(new Set(["compatible/fake-embed"]));
      expect((await ask(domain, "tickets", "ZX-4471")).keys[0]).toBe("T-6");

      fake.failing.on = true;
      try {
        await put(domain, "tickets", { model: "compatible/fake-embed", fields: ["subject"] });
        const failed = await waitUntilSettled(domain, "tickets");
        expect(failed.status).toBe("failed");
        expect(failed.error).toMatch(/model crashed/);
        expect((await ask(domain, "tickets", "anything")).body.error).toMatch(/failed to index/);
      } finally {
        fake.failing.on = false;
      }
    });

    it("disables: vectors and index removed, queries refused", async () => {
      const domain = await ticketsProduct("ss-disable");
      await put(domain, "tickets", { fields: ["subject", "body"] });
      await waitUntilSettled(domain, "tickets");
      const product = await db().product.findUniqueOrThrow({ where: { domain_name: { domain, name: "tickets" } } });
      const response = await DELETE(
        new Request(url(domain, "tickets", "capabilities/semantic-search"), { method: "DELETE", headers: admin.auth }),
        at(domain, "tickets"),
      );
      expect(response.status).toBe(204);
      expect(await status(domain, "tickets")).toMatchObject({ enabled: false, status: null });
      expect(await countEmbeddings(product.id)).toBe(0);
      expect(await hasVectorIndex(product.id)).toBe(false);
      expect((await ask(domain, "tickets", "billing")).status).toBe(409);
    });

    it("refuses queries while indexing, and invalid questions", async () => {
      const domain = await ticketsProduct("ss-busy");
      const product = await db().product.findUniqueOrThrow({ where: { domain_name: { domain, name: "tickets" } } });
      await db().semanticSearch.create({ data: { productId: product.id, model: "local/use-lite", dimensions: 512, fields: ["subject"], status: "indexing", indexed: 2, total: 6 } });
      const busy = await ask(domain, "tickets", "billing");
      expect(busy.status).toBe(409);
      expect(busy.body.error).toMatch(/still indexing \(2 of 6 records\)/);
      await db().semanticSearch.delete({ where: { productId: product.id } });
      expect((await ask(domain, "tickets", "")).status).toBe(422);
      expect((await ask(domain, "tickets", "x", 101)).status).toBe(422);
    });
  });
}
