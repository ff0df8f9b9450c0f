import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as mcpRoute } from "@/app/api/mcp/route";
import { db } from "@/lib/db/client";
import { findSemanticSearch } from "@/lib/db/semantic-search";
import { resetEnvCache } from "@/lib/env";
import { registerProduct } from "@/lib/services/products";
import { loadRecords } from "@/lib/services/records";
import { enableSemanticSearch } from "@/lib/services/semantic-search";
import { productInputSchema } from "@/lib/validation/product";
import { inProcess, uniqueDomain } from "@/tests/helpers/databases";
import { createTestUser, type TestUser } from "@/tests/helpers/users";

/**
 * The MCP server at /api/mcp through its route handler, driven by the MCP
 * SDK's own client over Streamable HTTP (its fetch goes to the route), on an
 * in-process PGlite with the offline embedding model: initialize, list the
 * tools, call each, and the refusals (no key, a wrong key, a missing product).
 */

const BASE = "http://localhost:3000";
const HOSTED_ENV = ["OPENAI_API_KEY", "OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_CHAT_MODEL", "SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY"] as const;
const savedEnv = Object.fromEntries(HOSTED_ENV.map((key) => [key, process.env[key]]));

const routeFetch = (input: string | URL | Request, init?: RequestInit) => mcpRoute(new Request(input, init));

async function connect(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "mesh-portal-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL("/api/mcp", BASE), { fetch: routeFetch, requestInit: { headers } }));
  return client;
}

type ToolResult = { isError?: boolean; structuredContent?: Record<string, unknown>; content: { type: string; text?: string }[] };
const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolResult;

let teardown: (() => Promise<void>) | undefined;
let analyst: TestUser;
let client: Client;
let domain: string;

beforeAll(async () => {
  for (const key of HOSTED_ENV) delete process.env[key];
  resetEnvCache();
  teardown = await inProcess.start();
  const owner = await createTestUser({ role: "admin" });
  analyst = await createTestUser();
  domain = uniqueDomain("mcp");
  await db().domain.create({ data: { name: domain } });
  const product = await registerProduct(
    owner.actor,
    productInputSchema.parse({
      domain,
      name: "fleet-maintenance",
      title: "Fleet Maintenance",
      description: "Service and repair log of the company's delivery trucks and vans.",
      owner: "fleet@example.com",
      status: "active",
      schema: { primaryKey: "job_id", fields: [{ name: "job_id", type: "string", required: true }, { name: "work", type: "string" }] },
      sla: { freshnessHours: 24 },
    }),
  );
  const records = [
    { job_id: "F-1", work: "Replaced the worn brake pads and discs on van 17." },
    { job_id: "F-2", work: "Oil change and a new air filter for truck 3." },
    { job_id: "F-3", work: "Flat tyre repaired at the roadside on the motorway." },
  ];
  await loadRecords(owner.actor, product, [Buffer.from(JSON.stringify(records))], "application/json");
  await enableSemanticSearch(owner.actor, product, { fields: ["work"] });
  for (let attempt = 0; (await findSemanticSearch(product.id))?.status !== "ready"; attempt++) {
    if (attempt > 600) throw new Error("fleet-maintenance did not finish indexing");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  client = await connect(analyst.auth);
});

afterAll(async () => {
  await client?.close();
  await teardown?.();
  for (const key of HOSTED_ENV) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  resetEnvCache();
});

describe("MCP server at /api/mcp", () => {
  it("initializes and lists the five tools with their input schemas", async () => {
    expect(client.getServerVersion()).toMatchObject({ name: "mesh-portal" });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["ask", "get_product", "get_record", "query_product", "search_products"]);
    const query = tools.find((tool) => tool.name === "query_product")!;
    expect(query.inputSchema.required).toEqual(expect.arrayContaining(["domain", "name", "question"]));
    expect(tools.every((tool) => tool.description && tool.annotations?.readOnlyHint)).toBe(true);
  });

  it("search_products finds the product by meaning", async () => {
    const result = await call(client, "search_products", { query: "truck repairs" });
    expect(result.isError).toBeFalsy();
    const products = result.structuredContent!.products as { domain: string; name: string; url: string }[];
    expect(products[0]).toMatchObject({ domain, name: "fleet-maintenance", url: `${BASE}/products/${domain}/fleet-maintenance` });
  });

  it("get_product returns metadata, schema, SLA, schema version, state and measured health", async () => {
    const result = await call(client, "get_product", { domain, name: "fleet-maintenance" });
    expect(result.structuredContent).toMatchObject({
      title: "Fleet Maintenance",
      schema: { primaryKey: "job_id" },
      sla: { freshnessHours: 24 },
      schemaVersion: 1,
      health: { recordCount: 3, semanticSearch: "ready", status: expect.stringMatching(/^(healthy|degraded|breached|unknown)$/), sla: { freshness: { targetHours: 24 } } },
    });
    expect(JSON.parse(result.content[0]!.text!)).toEqual(result.structuredContent);
  });

  it("query_product answers with the matching record first", async () => {
    const result = await call(client, "query_product", { domain, name: "fleet-maintenance", question: "which van needed new brakes?", k: 2 });
    const results = result.structuredContent!.results as { key: string; url: string }[];
    expect(results[0]).toMatchObject({ key: "F-1", url: `${BASE}/products/${domain}/fleet-maintenance/records/F-1` });
  });

  it("ask answers across products with citations and their values (the federated query of POST /api/query)", async () => {
    const result = await call(client, "ask", { question: "which van needed new brakes?" });
    const products = result.structuredContent!.products as { name: string; status: string; citations: { key: string; values: Record<string, unknown> }[] }[];
    const fleet = products.find((product) => product.name === "fleet-maintenance")!;
    expect(fleet.status).toBe("ok");
    expect(fleet.citations[0]).toMatchObject({ key: "F-1", values: { work: expect.stringContaining("brake pads") } });
  });

  it("get_record returns one record, and a missing one is a tool error", async () => {
    const found = await call(client, "get_record", { domain, name: "fleet-maintenance", key: "F-2" });
    expect(found.structuredContent).toMatchObject({ key: "F-2", data: { work: expect.stringContaining("Oil change") } });
    const missing = await call(client, "get_record", { domain, name: "fleet-maintenance", key: "F-404" });
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toMatch(/^not_found: No record F-404/);
  });

  it("an input that breaks a tool's zod schema is refused", async () => {
    const result = await call(client, "query_product", { domain, name: "fleet-maintenance", question: "" });
    expect(result.isError).toBe(true);
  });

  it("refuses a call without an API key, or with a wrong one, with 401", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const none = await mcpRoute(new Request(`${BASE}/api/mcp`, { method: "POST", headers, body }));
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const wrong = await mcpRoute(new Request(`${BASE}/api/mcp`, { method: "POST", headers: { ...headers, authorization: "Bearer not-a-key" }, body }));
    expect(wrong.status).toBe(401);
    await expect(connect({})).rejects.toThrow();
  });
});
