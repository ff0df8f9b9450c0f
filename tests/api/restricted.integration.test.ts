import { randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as chatRoute } from "@/app/api/chat/route";
import { GET as conversationRoute } from "@/app/api/conversations/[id]/route";
import { GET as discoveryRoute } from "@/app/api/discovery/route";
import { POST as mcpRoute } from "@/app/api/mcp/route";
import { POST as approveRoute } from "@/app/api/products/[domain]/[name]/access-requests/[id]/approve/route";
import { POST as denyRoute } from "@/app/api/products/[domain]/[name]/access-requests/[id]/deny/route";
import { GET as listRequestsRoute, POST as requestRoute } from "@/app/api/products/[domain]/[name]/access-requests/route";
import { DELETE as revokeRoute } from "@/app/api/products/[domain]/[name]/grants/[id]/route";
import { GET as grantsRoute } from "@/app/api/products/[domain]/[name]/grants/route";
import { GET as healthRoute } from "@/app/api/products/[domain]/[name]/health/route";
import { GET as odcsRoute } from "@/app/api/products/[domain]/[name]/odcs.yaml/route";
import { GET as odpsRoute } from "@/app/api/products/[domain]/[name]/odps.yaml/route";
import { POST as productQueryRoute } from "@/app/api/products/[domain]/[name]/query/route";
import { GET as recordRoute } from "@/app/api/products/[domain]/[name]/records/[key]/route";
import { GET as recordsRoute } from "@/app/api/products/[domain]/[name]/records/route";
import { PATCH as patchProductRoute } from "@/app/api/products/[domain]/[name]/route";
import { POST as queryRoute } from "@/app/api/query/route";
import { db } from "@/lib/db/client";
import { findSemanticSearch } from "@/lib/db/semantic-search";
import { resetEnvCache } from "@/lib/env";
import { recordExpiries } from "@/lib/services/access";
import { importContracts } from "@/lib/services/contracts";
import { productHistory, productOverview, registerProduct } from "@/lib/services/products";
import { loadRecords, recordView } from "@/lib/services/records";
import { enableSemanticSearch } from "@/lib/services/semantic-search";
import { productInputSchema, type Product } from "@/lib/validation/product";
import { inProcess, uniqueDomain } from "@/tests/helpers/databases";
import { createTestUser, type TestUser } from "@/tests/helpers/users";

/**
 * The canary test of restricted products: a restricted product whose records
 * hold a unique word; an analyst without a grant calls every read path (the
 * records API, the record and product pages' data, the product's query,
 * discovery, the federated query and its answer, the chat stream, the MCP
 * tools, the ODPS/ODCS exports, the health's failing record keys) with questions that retrieve those records:
 * the word is in no response. After an approval it is; after a revocation or
 * an expiry it is gone again. And who may ask, decide and revoke.
 * In-process PGlite, the offline embedding model and answer composer.
 */

const CANARY = "zephyrquill";
const BASE = "http://localhost:3000";
const HOSTED_ENV = ["OPENAI_API_KEY", "OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_CHAT_MODEL", "PUBLIC_READ", "SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY"] as const;
const savedEnv = Object.fromEntries(HOSTED_ENV.map((key) => [key, process.env[key]]));

const text = (name: string, required = false) => ({ name, type: "string" as const, required });
/** Found by what its records hold: nothing in its metadata is about birds. */
const SIGHTINGS = {
  name: "dataset-r",
  title: "Dataset R",
  description: "Export 9 from system C.",
  schema: { primaryKey: "ref", fields: [text("ref", true), text("site"), text("note")] },
  records: [
    { ref: "ZEPHYRQUILL-1", site: "Zephyrquill Ridge", note: "A pair of barn owls nesting in the old oak tree, tagged zephyrquill." },
    { ref: "R-2", site: "Zephyrquill Ridge", note: "A heron standing still in the shallow pond, hunting fish near zephyrquill." },
    { ref: "R-3", site: "Lake Shore", note: "A flock of geese flying south over the lake at dawn." },
  ],
  // Fails for the ridge's records: the health's failing keys are record data too.
  quality: [{ id: "known-sites", metric: "invalidValues", property: "site", arguments: { validValues: ["Lake Shore"] } }],
};
const FLEET = {
  name: "fleet-maintenance",
  title: "Fleet Maintenance",
  description: "Service and repair log of the company's delivery trucks and vans.",
  schema: { primaryKey: "job_id", fields: [text("job_id", true), text("work")] },
  records: [
    { job_id: "F-1", work: "Replaced the worn brake pads and discs on van 17." },
    { job_id: "F-2", work: "Oil change and a new air filter for truck 3." },
  ],
};
/** Questions whose answers are the canary's records; none contains the word. */
const OWLS = "where were the barn owls nesting in the oak tree?";
const RIDGE = "which birds were seen at the ridge?";

let teardown: (() => Promise<void>) | undefined;
let owner: TestUser;
let analyst: TestUser;
let outsider: TestUser;
let domain: string;
let sightings: Product;
let mcp: Client;
/** The analyst's conversation kept while the grant held: its answers must not outlive the grant. */
let conversationId: string | undefined;

const ref = () => ({ domain, name: SIGHTINGS.name });
const productUrl = (suffix = "") => `${BASE}/api/products/${domain}/${SIGHTINGS.name}${suffix}`;
const at = <T extends Record<string, string>>(extra = {} as T) => ({ params: Promise.resolve({ domain, name: SIGHTINGS.name, ...extra }) });
const json = (method: string, url: string, user: TestUser | null, body?: unknown) =>
  new Request(url, { method, headers: { "content-type": "application/json", ...(user?.auth ?? {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const get = (url: string, user: TestUser | null) => new Request(url, { headers: { ...(user?.auth ?? {}) } });

async function mcpClient(user: TestUser): Promise<Client> {
  const client = new Client({ name: "restricted-test", version: "1.0.0" });
  const routeFetch = (input: string | URL | Request, init?: RequestInit) => mcpRoute(new Request(input, init));
  await client.connect(new StreamableHTTPClientTransport(new URL("/api/mcp", BASE), { fetch: routeFetch, requestInit: { headers: user.auth } }));
  return client;
}

interface Read {
  path: string;
  status: number;
  body: string;
}

/** Every read path, as `user`, with questions that retrieve the canary's records. */
async function readEverything(user: TestUser, client: Client): Promise<Read[]> {
  const reads: Read[] = [];
  const add = async (path: string, response: Response | Promise<Response>) => {
    const done = await response;
    reads.push({ path, status: done.status, body: await done.text() });
  };
  const chatBody = (question: string, products?: string[]) => ({ id: "c", messages: [{ id: "m", role: "user", parts: [{ type: "text", text: question }] }], ...(products ? { products } : {}) });
  await add("GET records", recordsRoute(get(productUrl("/records"), user), at()));
  await add("GET record", recordRoute(get(productUrl("/records/ZEPHYRQUILL-1"), user), at({ key: "ZEPHYRQUILL-1" })));
  await add("GET health", healthRoute(get(productUrl("/health"), user), at()));
  await add("POST product query", productQueryRoute(json("POST", productUrl("/query"), user, { question: OWLS }), at()));
  await add("GET discovery", discoveryRoute(get(`${BASE}/api/discovery?${new URLSearchParams({ q: OWLS })}`, user), undefined));
  for (const question of [OWLS, RIDGE]) {
    await add(`POST query ${question}`, queryRoute(json("POST", `${BASE}/api/query`, user, { question }), undefined));
    await add(`POST chat ${question}`, chatRoute(json("POST", `${BASE}/api/chat`, user, chatBody(question)), undefined));
  }
  await add("POST query named", queryRoute(json("POST", `${BASE}/api/query`, user, { question: RIDGE, products: [`${domain}/${SIGHTINGS.name}`] }), undefined));
  await add("POST chat named", chatRoute(json("POST", `${BASE}/api/chat`, user, chatBody(RIDGE, [`${domain}/${SIGHTINGS.name}`])), undefined));
  if (conversationId) await add("GET conversation", conversationRoute(get(`${BASE}/api/conversations/${conversationId}`, user), { params: Promise.resolve({ id: conversationId }) }));
  await add("GET odps.yaml", odpsRoute(get(productUrl("/odps.yaml"), user), at()));
  await add("GET odcs.yaml", odcsRoute(get(productUrl("/odcs.yaml"), user), at()));
  const tools: [string, Record<string, unknown>][] = [
    ["search_products", { query: OWLS }],
    ["get_product", ref()],
    ["query_product", { ...ref(), question: OWLS }],
    ["get_record", { ...ref(), key: "ZEPHYRQUILL-1" }],
    ["ask", { question: OWLS }],
    ["ask", { question: RIDGE, products: [`${domain}/${SIGHTINGS.name}`] }],
  ];
  for (const [name, args] of tools) reads.push({ path: `MCP ${name}`, status: 200, body: JSON.stringify(await client.callTool({ name, arguments: args })) });
  // The product page's and the record page's data, as the pages get it.
  reads.push({ path: "product page", status: 200, body: JSON.stringify(await productOverview(user.actor, sightings, { dir: "asc", page: 1 })) });
  reads.push({ path: "record page", status: 200, body: JSON.stringify(await recordView(user.actor, ref(), "ZEPHYRQUILL-1")) });
  return reads;
}

const leaking = (reads: Read[]) => reads.filter((read) => read.body.toLowerCase().includes(CANARY)).map((read) => read.path);

beforeAll(async () => {
  for (const key of HOSTED_ENV) delete process.env[key];
  resetEnvCache();
  teardown = await inProcess.start();
  domain = uniqueDomain("restricted");
  owner = await createTestUser({ owns: [domain] });
  analyst = await createTestUser();
  outsider = await createTestUser();
  for (const { records, ...definition } of [SIGHTINGS, FLEET]) {
    const product = await registerProduct(owner.actor, productInputSchema.parse({ ...definition, domain, owner: "birds@example.com", status: "active" }));
    await loadRecords(owner.actor, product, [Buffer.from(JSON.stringify(records))], "application/json");
    await enableSemanticSearch(owner.actor, product, { fields: definition.name === SIGHTINGS.name ? ["note"] : ["work"] });
    for (let attempt = 0; (await findSemanticSearch(product.id))?.status !== "ready"; attempt++) {
      if (attempt > 600) throw new Error(`${definition.name} did not finish indexing`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const response = await patchProductRoute(json("PATCH", productUrl(), owner, { visibility: "restricted" }), at());
  expect(response.status).toBe(200);
  sightings = await response.json();
  expect(sightings.visibility).toBe("restricted");
  mcp = await mcpClient(analyst);
});

afterAll(async () => {
  await mcp?.close();
  await teardown?.();
  for (const key of HOSTED_ENV) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  resetEnvCache();
});

describe("a restricted product's records", () => {
  it("are read by the domain's owner through every path (the canary is findable at all)", async () => {
    const client = await mcpClient(owner);
    try {
      const reads = await readEverything(owner, client);
      const found = leaking(reads);
      for (const path of ["GET records", "GET record", "GET health", "POST product query", `POST query ${OWLS}`, `POST chat ${RIDGE}`, "MCP get_record", "MCP query_product", "product page", "record page"]) {
        expect(found).toContain(path);
      }
    } finally {
      await client.close();
    }
  });

  it("reach an analyst without a grant through no path; the product is listed as restricted, with where to ask", async () => {
    const reads = await readEverything(analyst, mcp);
    expect(leaking(reads)).toEqual([]);
    const status = Object.fromEntries(reads.map((read) => [read.path, read.status]));
    expect(status["GET records"]).toBe(403);
    expect(status["GET record"]).toBe(403);
    expect(status["POST product query"]).toBe(403);
    expect(JSON.parse(reads.find((read) => read.path === "GET record")!.body).error).toContain(`/products/${domain}/${SIGHTINGS.name}#access`);
    // Nothing of its records cited either: no link to a record page of it.
    const recordLinks = reads.filter((read) => read.body.includes(`/products/${domain}/${SIGHTINGS.name}/records/`)).map((read) => read.path);
    expect(recordLinks).toEqual([]);

    const named = JSON.parse(reads.find((read) => read.path === "POST query named")!.body);
    expect(named.products).toEqual([
      expect.objectContaining({ name: SIGHTINGS.name, status: "restricted", reason: "restricted: request access", requestAccess: `/products/${domain}/${SIGHTINGS.name}#access`, results: [] }),
    ]);
    expect(named.answer.citations).toEqual([]);
    const chat = reads.find((read) => read.path === "POST chat named")!.body;
    expect(chat).toContain('"status":"restricted"');
    expect(chat).toContain(`"requestAccess":"/products/${domain}/${SIGHTINGS.name}#access"`);

    // Discovery may list it by its metadata, never by what its records hold.
    const discovered = JSON.parse(reads.find((read) => read.path === "GET discovery")!.body).products as { name: string; reasons: string[] }[];
    for (const product of discovered.filter((entry) => entry.name === SIGHTINGS.name)) expect(product.reasons.join(" ")).not.toContain("record");
    const toolError = JSON.parse(reads.find((read) => read.path === "MCP get_record")!.body);
    expect(toolError).toMatchObject({ isError: true });
  });

  it("stay restricted when the owner re-imports the product's own contract (no contract field carries visibility)", async () => {
    const yaml = await (await odcsRoute(get(productUrl("/odcs.yaml"), owner), at())).text();
    const result = await importContracts(owner.actor, [yaml.replace("Export 9 from system C.", "Export 10 from system C.")], { dryRun: false });
    expect(result.action).toBe("update");
    expect(result.changes.map((change) => change.field)).toContain("description");
    expect(result.changes.map((change) => change.field)).not.toContain("visibility");
    expect(result.product?.visibility).toBe("restricted");
    expect((await recordsRoute(get(productUrl("/records"), analyst), at())).status).toBe(403);
  });

  it("do not shape the analyst's discovery ranking, where they decide the owner's", async () => {
    const ranked = async (user: TestUser) => {
      const response = await discoveryRoute(get(`${BASE}/api/discovery?${new URLSearchParams({ q: OWLS })}`, user), undefined);
      return ((await response.json()).products as { name: string; reasons: string[] }[]).find((product) => product.name === SIGHTINGS.name);
    };
    expect((await ranked(owner))?.reasons.join(" ")).toMatch(/record \S+ close in meaning/);
    expect((await ranked(analyst))?.reasons.join(" ") ?? "").not.toContain("record");
  });
});

describe("access requests and grants", () => {
  let requestId: string;

  it("are refused to visitors (401), and a request for a public product or by an owner is a 409", async () => {
    expect((await requestRoute(json("POST", productUrl("/access-requests"), null, { purpose: "bird survey", days: 30 }), at())).status).toBe(401);
    expect((await listRequestsRoute(get(productUrl("/access-requests"), null), at())).status).toBe(401);
    expect((await grantsRoute(get(productUrl("/grants"), null), at())).status).toBe(401);
    expect((await requestRoute(json("POST", productUrl("/access-requests"), owner, { purpose: "my own data", days: 30 }), at())).status).toBe(409);
    const fleet = { params: Promise.resolve({ domain, name: FLEET.name }) };
    expect((await requestRoute(json("POST", `${BASE}/api/products/${domain}/${FLEET.name}/access-requests`, analyst, { purpose: "trucks", days: 30 }), fleet)).status).toBe(409);
    const invalid = await requestRoute(json("POST", productUrl("/access-requests"), analyst, { purpose: "", days: 0 }), at());
    expect(invalid.status).toBe(422);
    expect(Object.keys((await invalid.json()).fieldErrors).sort()).toEqual(["days", "purpose"]);
  });

  it("a request is pending: its requester and the owners see it, others do not, and a second one waits for the first", async () => {
    const response = await requestRoute(json("POST", productUrl("/access-requests"), analyst, { purpose: "Bird survey for the annual report", days: 90 }), at());
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created).toMatchObject({ id: expect.any(String), status: "pending", days: 90, requester: analyst.actor.email });
    requestId = created.id;
    expect((await requestRoute(json("POST", productUrl("/access-requests"), analyst, { purpose: "again", days: 30 }), at())).status).toBe(409);

    const seen = async (user: TestUser) => ((await (await listRequestsRoute(get(productUrl("/access-requests"), user), at())).json()).requests as { id: string }[]).map((r) => r.id);
    expect(await seen(owner)).toEqual([requestId]);
    expect(await seen(analyst)).toEqual([requestId]);
    expect(await seen(outsider)).toEqual([]);
  });

  it("only the domain's owners and admins decide, never the requester; an approval may shorten, not extend", async () => {
    const approve = (user: TestUser, body: unknown = {}, id = requestId) => approveRoute(json("POST", productUrl(`/access-requests/${id}/approve`), user, body), at({ id }));
    expect((await approve(analyst)).status).toBe(403);
    expect((await approve(outsider)).status).toBe(403);
    expect((await denyRoute(json("POST", productUrl(`/access-requests/${requestId}/deny`), outsider, { reason: "Not for you" }), at({ id: requestId }))).status).toBe(403);
    expect((await grantsRoute(get(productUrl("/grants"), analyst), at())).status).toBe(403);
    expect((await approve(owner, {}, "not-a-uuid")).status).toBe(404);
    expect((await approve(owner, { days: 120 })).status).toBe(422);

    // A requester who becomes an owner still cannot approve their own request.
    const turncoat = await createTestUser();
    const asked = await (await requestRoute(json("POST", productUrl("/access-requests"), turncoat, { purpose: "later an owner", days: 7 }), at())).json();
    await db().domainOwner.create({ data: { domain, userId: turncoat.actor.id } });
    const own = await approveRoute(json("POST", productUrl(`/access-requests/${asked.id}/approve`), turncoat, {}), at({ id: asked.id }));
    expect(own.status).toBe(403);
    expect((await own.json()).error).toBe("You cannot decide your own access request");
    const denied = await denyRoute(json("POST", productUrl(`/access-requests/${asked.id}/deny`), owner, { reason: "Owners read it anyway" }), at({ id: asked.id }));
    expect(await denied.json()).toMatchObject({ status: "denied", reason: "Owners read it anyway", decidedBy: owner.actor.email });
  });

  it("after approval the analyst reads the records through every path; a second decision is a 409", async () => {
    const response = await approveRoute(json("POST", productUrl(`/access-requests/${requestId}/approve`), owner, { days: 30 }), at({ id: requestId }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "approved", days: 90, decidedBy: owner.actor.email, grantId: expect.any(String) });
    expect((await approveRoute(json("POST", productUrl(`/access-requests/${requestId}/approve`), owner, {}), at({ id: requestId }))).status).toBe(409);

    const found = leaking(await readEverything(analyst, mcp));
    for (const path of ["GET records", "GET record", "GET health", "POST product query", `POST query ${OWLS}`, `POST chat ${RIDGE}`, "POST query named", "MCP get_record", "MCP query_product", "MCP ask", "product page", "record page"]) {
      expect(found).toContain(path);
    }
    // A conversation kept now quotes the records.
    const id = randomUUID();
    const turn = await chatRoute(
      json("POST", `${BASE}/api/chat`, analyst, { id, messages: [{ id: "m1", role: "user", parts: [{ type: "text", text: RIDGE }] }], products: [`${domain}/${SIGHTINGS.name}`] }),
      undefined,
    );
    expect((await turn.text()).toLowerCase()).toContain(CANARY);
    for (let attempt = 0; !(await db().conversation.findFirst({ where: { id } })); attempt++) {
      if (attempt > 100) throw new Error("the conversation was not kept");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    conversationId = id;
    expect(leaking(await readEverything(analyst, mcp))).toContain("GET conversation");

    const grants = (await (await grantsRoute(get(productUrl("/grants"), owner), at())).json()).grants;
    expect(grants).toEqual([expect.objectContaining({ user: analyst.actor.email, state: "active", grantedBy: owner.actor.email })]);
    const days = (new Date(grants[0].expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
  });

  it("after revocation nothing reaches the analyst again, not even through the conversation kept meanwhile", async () => {
    const [grant] = (await (await grantsRoute(get(productUrl("/grants"), owner), at())).json()).grants;
    expect((await revokeRoute(json("DELETE", productUrl(`/grants/${grant.id}`), analyst), at({ id: grant.id }))).status).toBe(403);
    expect((await revokeRoute(json("DELETE", productUrl(`/grants/${grant.id}`), owner), at({ id: grant.id }))).status).toBe(204);
    expect((await revokeRoute(json("DELETE", productUrl(`/grants/${grant.id}`), owner), at({ id: grant.id }))).status).toBe(409);
    expect(leaking(await readEverything(analyst, mcp))).toEqual([]);
  });

  it("a grant expires on its own, and its expiry is written to the audit log once", async () => {
    const asked = await (await requestRoute(json("POST", productUrl("/access-requests"), analyst, { purpose: "One more look", days: 1 }), at())).json();
    const approved = await (await approveRoute(json("POST", productUrl(`/access-requests/${asked.id}/approve`), owner, {}), at({ id: asked.id }))).json();
    const records = async () => (await recordsRoute(get(productUrl("/records"), analyst), at())).status;
    expect(await records()).toBe(200);
    // A day later: the grant's end moved into the past.
    await db().accessGrant.update({ where: { id: approved.grantId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await records()).toBe(403);
    expect(leaking(await readEverything(analyst, mcp))).toEqual([]);
    expect(await recordExpiries()).toBe(1);
    expect(await recordExpiries()).toBe(0);
    const grants = (await (await grantsRoute(get(productUrl("/grants"), owner), at())).json()).grants as { state: string }[];
    expect(grants.map((grant) => grant.state).sort()).toEqual(["expired", "revoked"]);
  });

  it("every request, decision, revocation and expiry is in the product's audit log, with who and when", async () => {
    const history = await productHistory(analyst.actor, ref());
    const access = history.filter((entry) => entry.action.startsWith("access.")).map((entry) => [entry.action, entry.actorEmail]);
    expect(access).toEqual([
      ["access.expired", "system"],
      ["access.approved", owner.actor.email],
      ["access.requested", analyst.actor.email],
      ["access.revoked", owner.actor.email],
      ["access.approved", owner.actor.email],
      ["access.denied", owner.actor.email],
      ["access.requested", expect.stringContaining("@test.local")],
      ["access.requested", analyst.actor.email],
    ]);
    const approved = history.find((entry) => entry.action === "access.approved")!;
    expect(approved.changes).toMatchObject({ user: { to: analyst.actor.email }, days: { from: 1, to: 1 } });
    expect(history.filter((entry) => entry.action === "product.updated").map((entry) => entry.changes.visibility)).toContainEqual({ from: "public", to: "restricted" });
  });
});
