import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestUser, startTestDatabase, type TestUser } from "@/tests/helpers/users";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import type { ProductFormValues } from "@/lib/validation/product";
import { addOwnerAction, createDomainAction, createUserAction, removeOwnerAction, setRoleAction } from "@/app/admin/actions";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...all]/route";
import { GET as listDomains, POST as postDomain } from "@/app/api/domains/route";
import { DELETE as deleteKey } from "@/app/api/keys/[id]/route";
import { GET as listKeys, POST as postKey } from "@/app/api/keys/route";
import { DELETE as disableSearch, PUT as enableSearch } from "@/app/api/products/[domain]/[name]/capabilities/semantic-search/route";
import { DELETE as disableInference, PUT as enableInference } from "@/app/api/products/[domain]/[name]/capabilities/inference/route";
import { DELETE as cancelInferenceRun, POST as startInferenceRun } from "@/app/api/products/[domain]/[name]/capabilities/inference/run/route";
import { POST as transformRecord } from "@/app/api/products/[domain]/[name]/transform/route";
import { POST as loadRecords } from "@/app/api/products/[domain]/[name]/records/route";
import { DELETE, GET as getProduct, PATCH } from "@/app/api/products/[domain]/[name]/route";
import { GET as listProducts, POST } from "@/app/api/products/route";
import { createProductAction, deleteProductAction, deprecateProductAction, updateProductAction } from "@/app/products/actions";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/settings/actions";

/**
 * Who may write: every write route and server action refuses analysts and
 * owners of other domains (403) and visitors (401), and changes nothing;
 * owners and admins succeed and are audited. API keys work until revoked;
 * sessions come from better-auth's own sign-in route, expire and end.
 */

// Server actions read the request headers through next/headers: each test sets them.
let actionHeaders = new Headers();
vi.mock("next/headers", () => ({ headers: async () => actionHeaders }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const BASE = "http://localhost:3000";
const INFERENCE = { endpoint: "local:summarize", instructions: "Summarise", outputFields: [{ name: "summary", type: "string" }] };
const json = { "content-type": "application/json" };
type Who = Record<string, string>;
const nobody: Who = {};

function product(domain: string, name: string, overrides: Partial<ProductFormValues> = {}): ProductFormValues {
  return {
    domain,
    name,
    title: `Title of ${name}`,
    description: "Orders placed in the web store",
    owner: "team@example.com",
    tags: ["orders"],
    status: "active",
    version: "1.0.0",
    schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }] },
    sla: {},
    ...overrides,
  };
}

const at = (domain: string, name: string) => ({ params: Promise.resolve({ domain, name }) });
const send = (method: string, path: string, who: Who, body?: unknown) =>
  new Request(`${BASE}${path}`, { method, headers: { ...json, ...who }, body: body === undefined ? undefined : JSON.stringify(body) });

/** Everything a refused write must leave alone. */
async function snapshot() {
  const [products, records, search, embeddings, audit, domains, owners, users, keys, inference, aiOutputs] = await Promise.all([
    db().product.findMany({ orderBy: [{ domain: "asc" }, { name: "asc" }] }),
    db().record.findMany({ orderBy: [{ productId: "asc" }, { key: "asc" }] }),
    db().semanticSearch.findMany({ orderBy: { productId: "asc" } }),
    db().recordEmbedding.count(),
    db().auditEntry.count(),
    db().domain.findMany({ orderBy: { name: "asc" } }),
    db().domainOwner.findMany({ orderBy: [{ domain: "asc" }, { userId: "asc" }] }),
    db().user.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true, role: true } }),
    db().apiKey.findMany({ orderBy: { id: "asc" }, select: { id: true } }),
    db().inference.findMany({ orderBy: { productId: "asc" } }),
    db().recordAiOutput.findMany({ orderBy: [{ productId: "asc" }, { key: "asc" }] }),
  ]);
  return { products, records, search, embeddings, audit, domains, owners, users, keys, inference, aiOutputs };
}

/** Signs in through better-auth's route; returns the session cookie. */
async function signIn(email: string, password: string, ip = "203.0.113.10"): Promise<{ status: number; cookie?: string }> {
  const response = await authPost(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { ...json, origin: BASE, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
  const cookie = response.headers.getSetCookie().find((value) => value.includes("session_token"));
  return { status: response.status, cookie: cookie?.split(";")[0] };
}

describe("authorisation of writes", () => {
  let stop: () => Promise<void>;
  let admin: TestUser;
  let owner: TestUser;
  let otherOwner: TestUser;
  let analyst: TestUser;
  const domain = `alpha-${randomUUID().slice(0, 6)}`;
  const otherDomain = `beta-${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    stop = await startTestDatabase();
    admin = await createTestUser({ role: "admin" });
    owner = await createTestUser({ owns: [domain] });
    otherOwner = await createTestUser({ owns: [otherDomain] });
    analyst = await createTestUser();
    const created = await POST(send("POST", "/api/products", owner.auth, product(domain, "orders")), undefined);
    expect(created.status).toBe(201);
    const loaded = await loadRecords(send("POST", `/api/products/${domain}/orders/records`, owner.auth, [{ id: "o-1" }, { id: "o-2" }]), at(domain, "orders"));
    expect(await loaded.json()).toMatchObject({ accepted: 2 });
    const enabled = await enableSearch(send("PUT", `/api/products/${domain}/orders/capabilities/semantic-search`, owner.auth, { fields: ["id"] }), at(domain, "orders"));
    expect(enabled.status).toBe(202);
    const inference = await enableInference(send("PUT", `/api/products/${domain}/orders/capabilities/inference`, owner.auth, INFERENCE), at(domain, "orders"));
    expect(inference.status).toBe(200);
    // Refused writes are compared with snapshots: let background indexing finish first.
    while ((await db().semanticSearch.findFirst())?.status !== "ready") await new Promise((resolve) => setTimeout(resolve, 50));
  });

  afterAll(async () => {
    await stop();
  });

  beforeEach(() => {
    actionHeaders = new Headers();
  });

  const refusers = () =>
    [
      ["a visitor", nobody, 401],
      ["an analyst", analyst.auth, 403],
      ["an owner of another domain", otherOwner.auth, 403],
    ] as const;

  describe("REST routes", () => {
    const writes: [string, (who: Who) => Promise<Response>][] = [
      ["POST /api/products", (who) => POST(send("POST", "/api/products", who, product(domain, "refunds")), undefined)],
      ["PATCH /api/products/{domain}/{name}", (who) => PATCH(send("PATCH", `/api/products/${domain}/orders`, who, { title: "Hijacked" }), at(domain, "orders"))],
      ["PATCH (deprecate)", (who) => PATCH(send("PATCH", `/api/products/${domain}/orders`, who, { status: "deprecated" }), at(domain, "orders"))],
      ["DELETE /api/products/{domain}/{name}", (who) => DELETE(send("DELETE", `/api/products/${domain}/orders`, who), at(domain, "orders"))],
      ["POST /api/products/{domain}/{name}/records", (who) => loadRecords(send("POST", `/api/products/${domain}/orders/records`, who, [{ id: "o-9" }]), at(domain, "orders"))],
      [
        "PUT .../capabilities/semantic-search",
        (who) => enableSearch(send("PUT", `/api/products/${domain}/orders/capabilities/semantic-search`, who, { fields: ["id"], model: "local/use-lite" }), at(domain, "orders")),
      ],
      [
        "DELETE .../capabilities/semantic-search",
        (who) => disableSearch(send("DELETE", `/api/products/${domain}/orders/capabilities/semantic-search`, who), at(domain, "orders")),
      ],
      [
        "PUT .../capabilities/inference",
        (who) => enableInference(send("PUT", `/api/products/${domain}/orders/capabilities/inference`, who, INFERENCE), at(domain, "orders")),
      ],
      [
        "DELETE .../capabilities/inference",
        (who) => disableInference(send("DELETE", `/api/products/${domain}/orders/capabilities/inference`, who), at(domain, "orders")),
      ],
      [
        "POST .../capabilities/inference/run",
        (who) => startInferenceRun(send("POST", `/api/products/${domain}/orders/capabilities/inference/run`, who, {}), at(domain, "orders")),
      ],
      [
        "DELETE .../capabilities/inference/run",
        (who) => cancelInferenceRun(send("DELETE", `/api/products/${domain}/orders/capabilities/inference/run`, who), at(domain, "orders")),
      ],
      ["POST .../transform { key }", (who) => transformRecord(send("POST", `/api/products/${domain}/orders/transform`, who, { key: "o-1" }), at(domain, "orders"))],
      ["POST .../transform { record }", (who) => transformRecord(send("POST", `/api/products/${domain}/orders/transform`, who, { record: { id: "x" } }), at(domain, "orders"))],
    ];

    for (const [route, call] of writes) {
      it(`${route}: refuses visitors (401), analysts and other domains' owners (403), and changes nothing`, async () => {
        for (const [who, headers, status] of refusers()) {
          const before = await snapshot();
          const response = await call(headers);
          expect(response.status, `${who}`).toBe(status);
          expect((await response.json()).code).toBe(status === 401 ? "unauthorized" : "forbidden");
          expect(await snapshot()).toEqual(before);
        }
      });
    }

    it("capability changes are audited with who and what; the owner may toggle them", async () => {
      const path = `/api/products/${domain}/orders/capabilities/semantic-search`;
      expect((await disableSearch(send("DELETE", path, owner.auth), at(domain, "orders"))).status).toBe(204);
      expect((await enableSearch(send("PUT", path, owner.auth, { fields: ["id"] }), at(domain, "orders"))).status).toBe(202);
      while ((await db().semanticSearch.findFirst())?.status !== "ready") await new Promise((resolve) => setTimeout(resolve, 50));
      const entries = await db().auditEntry.findMany({ where: { domain, name: "orders", action: { startsWith: "capability." } }, orderBy: { createdAt: "asc" } });
      expect(entries.map((entry) => [entry.action, entry.actorEmail, Object.keys(entry.changes as object)[0]])).toEqual([
        ["capability.enabled", owner.actor.email, "semantic-search"],
        ["capability.enabled", owner.actor.email, "inference"],
        ["capability.disabled", owner.actor.email, "semantic-search"],
        ["capability.enabled", owner.actor.email, "semantic-search"],
      ]);
      expect(entries[2]!.changes).toEqual({ "semantic-search": { from: { model: "local/use-lite", fields: ["id"] }, to: null } });
    });

    it("POST /api/products: an owner cannot register in another domain, even one that does not exist", async () => {
      const before = await snapshot();
      expect((await POST(send("POST", "/api/products", owner.auth, product(otherDomain, "sneaky")), undefined)).status).toBe(403);
      expect((await POST(send("POST", "/api/products", owner.auth, product("nowhere", "sneaky")), undefined)).status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });

    it("POST /api/domains: only admins; owners and analysts get 403, visitors 401", async () => {
      for (const [who, headers, status] of [...refusers(), ["an owner", owner.auth, 403] as const]) {
        const before = await snapshot();
        const response = await postDomain(send("POST", "/api/domains", headers, { name: "finance", description: "Money" }), undefined);
        expect(response.status, who).toBe(status);
        expect(await snapshot()).toEqual(before);
      }
      const response = await postDomain(send("POST", "/api/domains", admin.auth, { name: "finance", description: "Money" }), undefined);
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ name: "finance", description: "Money", owners: [], productCount: 0 });
      expect((await postDomain(send("POST", "/api/domains", admin.auth, { name: "finance" }), undefined)).status).toBe(409);
      expect((await postDomain(send("POST", "/api/domains", admin.auth, { name: "Not Kebab" }), undefined)).status).toBe(422);
    });

    it("the owner changes their domain's product, each change audited with who, what and when", async () => {
      const response = await PATCH(send("PATCH", `/api/products/${domain}/orders`, owner.auth, { title: "Web orders", tags: ["orders", "web"] }), at(domain, "orders"));
      expect(response.status).toBe(200);
      const entries = await db().auditEntry.findMany({ where: { domain, name: "orders", action: { startsWith: "product." } }, orderBy: { createdAt: "asc" } });
      expect(entries.map((entry) => [entry.action, entry.actorEmail])).toEqual([
        ["product.created", owner.actor.email],
        ["product.updated", owner.actor.email],
      ]);
      expect(entries[1]!.actorId).toBe(owner.actor.id);
      expect(entries[1]!.changes).toEqual({
        title: { from: "Title of orders", to: "Web orders" },
        tags: { from: ["orders"], to: ["orders", "web"] },
      });
      expect(Date.now() - entries[1]!.createdAt.getTime()).toBeLessThan(60_000);
    });

    it("an admin may change any domain's product; a deprecation is audited as such", async () => {
      const response = await PATCH(send("PATCH", `/api/products/${domain}/orders`, admin.auth, { status: "deprecated" }), at(domain, "orders"));
      expect(response.status).toBe(200);
      const last = await db().auditEntry.findFirstOrThrow({ where: { domain, name: "orders" }, orderBy: { createdAt: "desc" } });
      expect([last.action, last.actorEmail, last.changes]).toEqual([
        "product.deprecated",
        admin.actor.email,
        { status: { from: "active", to: "deprecated" } },
      ]);
    });

    it("an admin registering in a domain that does not exist gets 422 naming the domain", async () => {
      const response = await POST(send("POST", "/api/products", admin.auth, product("no-such-domain", "orders")), undefined);
      expect(response.status).toBe(422);
      expect((await response.json()).fieldErrors.domain).toEqual(["No domain no-such-domain: an admin registers it first"]);
    });
  });

  describe("server actions", () => {
    const as = (who: Who) => {
      actionHeaders = new Headers(who);
    };
    const writes: [string, () => Promise<{ ok: boolean; code?: string }>][] = [
      ["createProductAction", () => createProductAction(product(domain, "returns"))],
      ["updateProductAction", () => updateProductAction(domain, "orders", { title: "Hijacked" })],
      ["deprecateProductAction", () => deprecateProductAction(domain, "orders")],
      ["deleteProductAction", () => deleteProductAction(domain, "orders")],
    ];

    for (const [action, call] of writes) {
      it(`${action}: refuses visitors (unauthorized), analysts and other domains' owners (forbidden), and changes nothing`, async () => {
        for (const [who, headers, status] of refusers()) {
          as(headers);
          const before = await snapshot();
          const result = await call();
          expect(result, who).toMatchObject({ ok: false, code: status === 401 ? "unauthorized" : "forbidden" });
          expect(await snapshot()).toEqual(before);
        }
      });
    }

    const adminActions: [string, () => Promise<{ ok: boolean; code?: string }>][] = [
      ["createDomainAction", () => createDomainAction({ name: "gamma", description: "" })],
      ["addOwnerAction", () => addOwnerAction(domain, analyst.actor.email)],
      ["removeOwnerAction", () => removeOwnerAction(domain, owner.actor.id)],
      ["createUserAction", () => createUserAction({ email: "new@test.local", password: "long-enough-1" })],
      ["setRoleAction", () => setRoleAction(analyst.actor.id, "admin")],
    ];

    for (const [action, call] of adminActions) {
      it(`${action}: admins only; owners and analysts are refused and nothing changes`, async () => {
        for (const [who, headers, status] of [...refusers(), ["an owner", owner.auth, 403] as const]) {
          as(headers);
          const before = await snapshot();
          expect(await call(), who).toMatchObject({ ok: false, code: status === 401 ? "unauthorized" : "forbidden" });
          expect(await snapshot()).toEqual(before);
        }
      });
    }

    it("the owner registers, edits and deletes through the actions, signed in with a session cookie", async () => {
      const { cookie } = await signIn(owner.actor.email, owner.password);
      actionHeaders = new Headers({ cookie: cookie! });
      expect(await createProductAction(product(domain, "drafts", { status: "draft" }))).toEqual({ ok: true, data: { domain, name: "drafts" } });
      expect(await updateProductAction(domain, "drafts", { title: "Draft orders" })).toMatchObject({ ok: true });
      expect(await deleteProductAction(domain, "drafts")).toMatchObject({ ok: true });
      const actions = await db().auditEntry.findMany({ where: { domain, name: "drafts" }, orderBy: { createdAt: "asc" } });
      expect(actions.map((entry) => `${entry.action} by ${entry.actorEmail}`)).toEqual([
        `product.created by ${owner.actor.email}`,
        `product.updated by ${owner.actor.email}`,
        `product.deleted by ${owner.actor.email}`,
      ]);
    });

    it("an admin manages domains, owners, users and roles; an admin cannot demote themself", async () => {
      as(admin.auth);
      expect(await createDomainAction({ name: "delta", description: "Fourth" })).toMatchObject({ ok: true });
      expect(await createUserAction({ email: "Dana@Test.local", name: "Dana", password: "long-enough-1" })).toMatchObject({ ok: true, data: { email: "dana@test.local" } });
      expect(await addOwnerAction("delta", "dana@test.local")).toMatchObject({ ok: true });
      expect(await addOwnerAction("delta", "nobody@test.local")).toMatchObject({ ok: false, code: "not_found" });
      const dana = await db().user.findUniqueOrThrow({ where: { email: "dana@test.local" }, include: { ownedDomains: true } });
      expect(dana.ownedDomains.map((owned) => owned.domain)).toEqual(["delta"]);
      expect(await removeOwnerAction("delta", dana.id)).toMatchObject({ ok: true });
      expect(await setRoleAction(dana.id, "admin")).toMatchObject({ ok: true });
      expect((await db().user.findUniqueOrThrow({ where: { id: dana.id } })).role).toBe("admin");
      expect(await setRoleAction(admin.actor.id, "member")).toMatchObject({ ok: false, code: "forbidden" });
      // The new user signs in with the password the admin set.
      expect((await signIn("dana@test.local", "long-enough-1", "203.0.113.11")).status).toBe(200);
    });

    it("API key actions: a visitor is refused; a user revokes only their own keys", async () => {
      expect(await createApiKeyAction({ name: "nope" })).toMatchObject({ ok: false, code: "unauthorized" });
      as(analyst.auth);
      const created = await createApiKeyAction({ name: "mine" });
      expect(created).toMatchObject({ ok: true });
      as(otherOwner.auth);
      const id = created.ok ? created.data.id : "";
      expect(await revokeApiKeyAction(id)).toMatchObject({ ok: false, code: "not_found" });
      as(analyst.auth);
      expect(await revokeApiKeyAction(id)).toMatchObject({ ok: true });
    });
  });

  describe("API keys", () => {
    it("a script signs in, creates a key, uses it as Bearer until it is revoked", async () => {
      const { status, cookie } = await signIn(owner.actor.email, owner.password, "203.0.113.12");
      expect(status).toBe(200);
      const session = { cookie: cookie! };

      const created = await postKey(send("POST", "/api/keys", session, { name: "nightly load" }), undefined);
      expect(created.status).toBe(201);
      const { id, key } = (await created.json()) as { id: string; key: string };
      expect(key).toMatch(/^mp_\w{64}$/);
      // Only a hash is stored.
      expect((await db().apiKey.findUniqueOrThrow({ where: { id } })).key).not.toBe(key);

      const listed = await listKeys(send("GET", "/api/keys", session), undefined);
      const { keys } = (await listed.json()) as { keys: { id: string; name: string; createdAt: string }[] };
      expect(keys.find((entry) => entry.id === id)).toMatchObject({ id, name: "nightly load" });
      expect(JSON.stringify(keys)).not.toContain(key);

      const bearer = { authorization: `Bearer ${key}` };
      const patched = await PATCH(send("PATCH", `/api/products/${domain}/orders`, bearer, { description: "Set by a script" }), at(domain, "orders"));
      expect(patched.status).toBe(200);
      const last = await db().auditEntry.findFirstOrThrow({ where: { domain }, orderBy: { createdAt: "desc" } });
      expect(last.actorEmail).toBe(owner.actor.email);
      // The key carries its user's rights, no more.
      expect((await PATCH(send("PATCH", `/api/products/${otherDomain}/x`, bearer, { title: "x" }), at(otherDomain, "x"))).status).toBe(403);

      expect((await deleteKey(send("DELETE", `/api/keys/${id}`, bearer), { params: Promise.resolve({ id }) })).status).toBe(204);
      const after = await PATCH(send("PATCH", `/api/products/${domain}/orders`, bearer, { description: "Again" }), at(domain, "orders"));
      expect(after.status).toBe(401);
      expect((await listKeys(send("GET", "/api/keys", bearer), undefined)).status).toBe(401);
      expect((await db().product.findFirstOrThrow({ where: { domain, name: "orders" } })).description).toBe("Set by a script");
    });

    it("rejects a made-up key and a key name that is missing; another user's key id is 404", async () => {
      expect((await listKeys(send("GET", "/api/keys", { authorization: `Bearer mp_${"x".repeat(64)}` }), undefined)).status).toBe(401);
      expect((await postKey(send("POST", "/api/keys", analyst.auth, {}), undefined)).status).toBe(422);
      const id = (await db().apiKey.findFirstOrThrow({ where: { referenceId: owner.actor.id } })).id;
      expect((await deleteKey(send("DELETE", `/api/keys/${id}`, analyst.auth), { params: Promise.resolve({ id }) })).status).toBe(404);
      expect(await db().apiKey.count({ where: { id } })).toBe(1);
      expect((await postKey(send("POST", "/api/keys", nobody, { name: "x" }), undefined)).status).toBe(401);
    });
  });

  describe("sessions and reads", () => {
    it("reads need a signed-in user unless PUBLIC_READ is on", async () => {
      expect((await listProducts(send("GET", "/api/products", nobody), undefined)).status).toBe(401);
      expect((await getProduct(send("GET", `/api/products/${domain}/orders`, nobody), at(domain, "orders"))).status).toBe(401);
      expect((await listDomains(send("GET", "/api/domains", nobody), undefined)).status).toBe(401);
      expect((await listProducts(send("GET", "/api/products", analyst.auth), undefined)).status).toBe(200);
      process.env.PUBLIC_READ = "true";
      resetEnvCache();
      try {
        expect((await listProducts(send("GET", "/api/products", nobody), undefined)).status).toBe(200);
        // Still no anonymous writes.
        expect((await PATCH(send("PATCH", `/api/products/${domain}/orders`, nobody, { title: "x" }), at(domain, "orders"))).status).toBe(401);
      } finally {
        delete process.env.PUBLIC_READ;
        resetEnvCache();
      }
    });

    it("a session works until it expires or the user signs out", async () => {
      const { cookie } = await signIn(analyst.actor.email, analyst.password, "203.0.113.13");
      const session = { cookie: cookie! };
      expect((await listProducts(send("GET", "/api/products", session), undefined)).status).toBe(200);
      const me = await authGet(new Request(`${BASE}/api/auth/get-session`, { headers: session }));
      expect((await me.json()).user.email).toBe(analyst.actor.email);

      await db().session.updateMany({ where: { userId: analyst.actor.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await listProducts(send("GET", "/api/products", session), undefined)).status).toBe(401);

      const again = { cookie: (await signIn(analyst.actor.email, analyst.password, "203.0.113.13")).cookie! };
      expect((await listProducts(send("GET", "/api/products", again), undefined)).status).toBe(200);
      const out = await authPost(new Request(`${BASE}/api/auth/sign-out`, { method: "POST", headers: { ...again, origin: BASE } }));
      expect(out.status).toBe(200);
      expect((await listProducts(send("GET", "/api/products", again), undefined)).status).toBe(401);
    });

    it("a wrong password is 401; sign-in attempts are rate limited per address (429), the right password included", async () => {
      const ip = "198.51.100.7";
      expect((await signIn(analyst.actor.email, "wrong-password", ip)).status).toBe(401);
      // Other accounts' attempts, so that the per-account limit (tests/api/limits) is not what refuses.
      for (let attempt = 2; attempt <= 10; attempt++) await signIn(`nobody-${attempt}@test.local`, "wrong-password", ip);
      expect((await signIn(analyst.actor.email, analyst.password, ip)).status).toBe(429);
      // Another address is not affected.
      expect((await signIn(analyst.actor.email, analyst.password, "198.51.100.8")).status).toBe(200);
    });

    it("refuses a cross-site sign-in (CSRF): the origin must be the portal's", async () => {
      const response = await authPost(
        new Request(`${BASE}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { ...json, origin: "https://evil.example", cookie: "x=1", "x-forwarded-for": "203.0.113.99" },
          body: JSON.stringify({ email: analyst.actor.email, password: analyst.password }),
        }),
      );
      expect(response.status).toBe(403);
    });

    it("public sign-up is off: accounts come from admins or single sign-on", async () => {
      const response = await authPost(
        new Request(`${BASE}/api/auth/sign-up/email`, {
          method: "POST",
          headers: { ...json, origin: BASE, "x-forwarded-for": "203.0.113.98" },
          body: JSON.stringify({ email: "walk-in@test.local", password: "long-enough-1", name: "Walk In" }),
        }),
      );
      expect(response.status).toBe(400);
      expect(await db().user.count({ where: { email: "walk-in@test.local" } })).toBe(0);
    });
  });
});
