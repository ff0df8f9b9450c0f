import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser } from "@/tests/helpers/users";
import { db } from "@/lib/db/client";
import { databaseVariants, RUN, uniqueDomain as uniqueName } from "@/tests/helpers/databases";
import { MAX_BODY_BYTES } from "@/lib/http";
import { productOutputSchema, type Product, type ProductFormValues } from "@/lib/validation/product";
import { GET as getOpenApi } from "@/app/api/openapi.json/route";
import { DELETE, GET as getProductRoute, PATCH } from "@/app/api/products/[domain]/[name]/route";
import { GET as listRoute, POST } from "@/app/api/products/route";

/**
 * The product REST API through its real route handlers, against real
 * databases. The same suite runs on every database variant, as an admin
 * (permissions: lib/auth/guard.integration.test.ts).
 */

/** A new registered domain that no other test (or earlier run) uses. */
async function uniqueDomain(label: string): Promise<string> {
  const name = uniqueName(label);
  await db().domain.create({ data: { name } });
  return name;
}

/** The admin every request of this suite acts as, one per database variant. */
let admin: Awaited<ReturnType<typeof createTestUser>> | undefined;
const authHeaders = () => admin!.auth;

function productInput(domain: string, name: string, overrides: Partial<ProductFormValues> = {}): ProductFormValues {
  return {
    domain,
    name,
    title: `Title of ${name}`,
    description: "Cases opened when a card payment is disputed",
    owner: "data-team@example.com",
    tags: ["finance"],
    status: "active",
    version: "1.0.0",
    schema: {
      primaryKey: "case_id",
      fields: [
        { name: "case_id", type: "string", required: true, description: "Case number" },
        { name: "amount", type: "number" },
      ],
    },
    sla: { freshnessHours: 24 },
    ...overrides,
  };
}

const BASE = "http://localhost";
const jsonHeaders = { "content-type": "application/json" };

function post(body: unknown, headers: Record<string, string> = jsonHeaders): Promise<Response> {
  return POST(
    new Request(`${BASE}/api/products`, {
      method: "POST",
      headers: { ...headers, ...authHeaders() },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    undefined,
  );
}

function address(domain: string, name: string) {
  return { params: Promise.resolve({ domain, name }) };
}

function getOne(domain: string, name: string): Promise<Response> {
  return getProductRoute(new Request(`${BASE}/api/products/${domain}/${name}`, { headers: authHeaders() }), address(domain, name));
}

function patch(domain: string, name: string, body: unknown, headers: Record<string, string> = jsonHeaders) {
  return PATCH(
    new Request(`${BASE}/api/products/${domain}/${name}`, {
      method: "PATCH",
      headers: { ...headers, ...authHeaders() },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    address(domain, name),
  );
}

function remove(domain: string, name: string): Promise<Response> {
  return DELETE(new Request(`${BASE}/api/products/${domain}/${name}`, { method: "DELETE", headers: authHeaders() }), address(domain, name));
}

async function list(query: Record<string, string | number>): Promise<{ status: number; body: { products: Product[]; total: number } }> {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
  const response = await listRoute(new Request(`${BASE}/api/products?${search}`, { headers: authHeaders() }), undefined);
  return { status: response.status, body: await response.json() };
}

/** Registers a product through the API, failing the test unless it is a 201. */
async function create(input: ProductFormValues): Promise<Product> {
  const response = await post(input);
  const body = await response.json();
  if (response.status !== 201) throw new Error(`POST failed with ${response.status}: ${JSON.stringify(body)}`);
  return body as Product;
}

const countIn = (domain: string) => db().product.count({ where: { domain } });

for (const variant of databaseVariants) {
  describe.skipIf(variant.skip)(`products API — ${variant.name}`, () => {
    let teardown: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      teardown = await variant.start();
      admin = await createTestUser({ role: "admin", email: `admin-${RUN}@test.local` });
    });

    afterAll(async () => {
      await teardown?.();
      admin = undefined;
    });

    describe("POST /api/products", () => {
      it("registers a product: 201, Location and the stored product", async () => {
        const domain = await uniqueDomain("post");
        const response = await post(
          productInput(domain, "chargeback-cases", { tags: ["Finance", "disputes"], description: undefined, version: undefined }),
        );
        expect(response.status).toBe(201);
        expect(response.headers.get("location")).toBe(`/api/products/${domain}/chargeback-cases`);
        const body = productOutputSchema.strict().parse(await response.json());
        expect(body).toMatchObject({
          domain,
          name: "chargeback-cases",
          title: "Title of chargeback-cases",
          description: "",
          owner: "data-team@example.com",
          tags: ["finance", "disputes"],
          status: "active",
          version: "1.0.0",
          sla: { freshnessHours: 24 },
          recordCount: 0,
        });
        expect(body.schema.fields[1]).toEqual({ name: "amount", type: "number", required: false, description: "", pii: false });
        expect(Date.now() - Date.parse(body.createdAt)).toBeLessThan(60_000);
        expect(body.updatedAt).toBe(body.createdAt);

        const stored = await db().product.findUniqueOrThrow({ where: { domain_name: { domain, name: "chargeback-cases" } } });
        expect(stored.id).toBe(body.id);
        expect(stored.searchText).toContain("case_id");
        expect(stored.searchText).toContain("disputes");
      });

      it("rejects an invalid product with 422 naming each bad field, and writes nothing", async () => {
        const domain = await uniqueDomain("invalid");
        const input = productInput(domain, "bad-product", { owner: "not-an-email" });
        input.schema.primaryKey = "missing";
        const response = await post(input);
        expect(response.status).toBe(422);
        const body = await response.json();
        expect(body.code).toBe("validation");
        expect(Object.keys(body.fieldErrors).sort()).toEqual(["owner", "schema.primaryKey"]);
        expect(body.fieldErrors["schema.primaryKey"]).toEqual(["The primary key must be one of the fields"]);
        expect(body.error).toBe("Invalid input: check owner, schema.primaryKey");
        expect(await countIn(domain)).toBe(0);
      });

      it("rejects a duplicate domain/name with 409 and keeps the first", async () => {
        const domain = await uniqueDomain("dup");
        await create(productInput(domain, "orders", { title: "First" }));
        const response = await post(productInput(domain, "orders", { title: "Second" }));
        expect(response.status).toBe(409);
        const body = await response.json();
        expect(body).toEqual({
          error: `A data product ${domain}/orders already exists`,
          code: "conflict",
          fieldErrors: { name: [`${domain}/orders is already registered`] },
        });
        const stored = await db().product.findMany({ where: { domain } });
        expect(stored.map((row) => row.title)).toEqual(["First"]);
      });

      it("lets exactly one of two concurrent registrations of the same address win", async () => {
        const domain = await uniqueDomain("race");
        const responses = await Promise.all([
          post(productInput(domain, "orders", { title: "Left" })),
          post(productInput(domain, "orders", { title: "Right" })),
        ]);
        expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
        const winner = (await responses.find((response) => response.status === 201)!.json()) as Product;
        const rows = await db().product.findMany({ where: { domain } });
        expect(rows).toHaveLength(1);
        expect(rows[0]!.title).toBe(winner.title);
      });

      it("rejects a body that is not JSON with 415", async () => {
        const domain = await uniqueDomain("plain");
        const response = await post(productInput(domain, "orders"), { "content-type": "text/plain" });
        expect(response.status).toBe(415);
        expect((await response.json()).code).toBe("unsupported_media_type");
        expect(await countIn(domain)).toBe(0);
      });

      it("rejects malformed JSON with 400", async () => {
        const response = await post('{"domain": "x", ');
        expect(response.status).toBe(400);
        const body = await response.json();
        expect(body.code).toBe("bad_request");
        expect(body.error).toMatch(/^Malformed JSON/);
      });

      it("rejects a body over 1 MiB with 413 and writes nothing, also without Content-Length", async () => {
        const domain = await uniqueDomain("huge");
        const json = JSON.stringify(productInput(domain, "orders"));
        // Valid JSON once parsed: only its size is wrong.
        const oversized = json + " ".repeat(MAX_BODY_BYTES - json.length + 1);

        const streamed = new Request(`${BASE}/api/products`, {
          method: "POST",
          headers: { ...jsonHeaders, ...authHeaders() },
          body: new Blob([oversized]).stream(),
          duplex: "half",
        } as RequestInit);
        expect(streamed.headers.get("content-length")).toBeNull();
        const response = await POST(streamed, undefined);
        expect(response.status).toBe(413);
        expect((await response.json()).code).toBe("payload_too_large");

        const declared = await post(oversized, { ...jsonHeaders, "content-length": String(oversized.length) });
        expect(declared.status).toBe(413);
        expect(await countIn(domain)).toBe(0);

        // The same body one byte shorter is accepted: the size alone was refused.
        const atLimit = await post(oversized.slice(0, -1));
        expect(atLimit.status).toBe(201);
        expect(await countIn(domain)).toBe(1);
      });
    });

    describe("GET /api/products", () => {
      const fieldToken = `zf_${RUN}`;
      const tagToken = `zt${RUN}`;
      let domain: string;
      let other: string;

      beforeAll(async () => {
        domain = await uniqueDomain("list");
        other = await uniqueDomain("list-other");
        const withField = (name: string) => ({
          primaryKey: "id",
          fields: [
            { name: "id", type: "integer" as const, required: true },
            { name, type: "string" as const },
          ],
        });
        // Sequential, so that updatedAt orders them.
        await create(productInput(domain, "tagged", { status: "active", tags: [tagToken, "finance"] }));
        await create(productInput(domain, "old-one", { status: "deprecated", schema: withField(fieldToken) }));
        await create(productInput(domain, "drafted", { status: "draft" }));
        await create(productInput(domain, "plain", { status: "active", tags: [] }));
        await create(productInput(other, "both", { status: "active", tags: [tagToken], schema: withField(fieldToken) }));
      });

      const names = (products: Product[]) => products.map((product) => `${product.domain === domain ? "" : "other:"}${product.name}`);

      it("filters by domain and sorts deprecated products last", async () => {
        const { status, body } = await list({ domain });
        expect(status).toBe(200);
        expect(body.total).toBe(4);
        expect(names(body.products).sort()).toEqual(["drafted", "old-one", "plain", "tagged"]);
        // The status enum is declared in ranking order: active, draft, deprecated.
        expect(body.products.map((product) => product.status)).toEqual(["active", "active", "draft", "deprecated"]);
        // Within a status, the most recently changed first.
        expect(names(body.products)).toEqual(["plain", "tagged", "drafted", "old-one"]);
        for (const product of body.products) productOutputSchema.strict().parse(product);
      });

      it("finds products by a field name", async () => {
        const { body } = await list({ q: fieldToken });
        expect(names(body.products).sort()).toEqual(["old-one", "other:both"]);
        expect(body.total).toBe(2);
      });

      it("finds products by a tag, case-insensitively", async () => {
        const { body } = await list({ q: tagToken.toUpperCase() });
        expect(names(body.products).sort()).toEqual(["other:both", "tagged"]);
      });

      it("requires every search term to match", async () => {
        const { body } = await list({ q: `${fieldToken} ${tagToken}` });
        expect(names(body.products)).toEqual(["other:both"]);
        expect((await list({ q: `${fieldToken} no-such-word-${RUN}` })).body.total).toBe(0);
      });

      it("treats % and _ in search terms as plain characters, not LIKE wildcards", async () => {
        expect((await list({ q: "%", domain })).body.total).toBe(0);
        expect((await list({ q: `zf%${RUN}` })).body.total).toBe(0);
        expect((await list({ q: `zf_${RUN.slice(0, -1)}_` })).body.total).toBe(0);
        expect((await list({ q: `zf_${RUN}` })).body.total).toBe(2);
      });

      it("combines the keyword search with the domain filter", async () => {
        const { body } = await list({ q: tagToken, domain });
        expect(names(body.products)).toEqual(["tagged"]);
      });

      it("filters by status", async () => {
        expect(names((await list({ domain, status: "deprecated" })).body.products)).toEqual(["old-one"]);
        expect(names((await list({ domain, status: "active" })).body.products).sort()).toEqual(["plain", "tagged"]);
      });

      it("filters by tag", async () => {
        const { body } = await list({ tag: tagToken.toUpperCase() });
        expect(names(body.products).sort()).toEqual(["other:both", "tagged"]);
        // productInput() tags everything "finance" unless told otherwise.
        expect(names((await list({ tag: "finance", domain })).body.products).sort()).toEqual(["drafted", "old-one", "tagged"]);
      });

      it("pages with limit and offset, reporting the total of all matches", async () => {
        const all = (await list({ domain })).body.products.map((product) => product.name);
        const first = await list({ domain, limit: 3, offset: 0 });
        const second = await list({ domain, limit: 3, offset: 3 });
        expect(first.body.total).toBe(4);
        expect(second.body.total).toBe(4);
        expect(first.body.products).toHaveLength(3);
        expect(second.body.products).toHaveLength(1);
        expect([...first.body.products, ...second.body.products].map((product) => product.name)).toEqual(all);
        expect(second.body.products[0]!.status).toBe("deprecated");
        expect((await list({ domain, offset: 10 })).body).toEqual({ products: [], total: 4 });
      });

      it("rejects invalid filters with 422", async () => {
        const { status, body } = await list({ limit: 0, status: "retired" });
        expect(status).toBe(422);
        expect(Object.keys((body as unknown as { fieldErrors: object }).fieldErrors).sort()).toEqual(["limit", "status"]);
      });
    });

    describe("GET /api/products/{domain}/{name}", () => {
      it("returns the product", async () => {
        const domain = await uniqueDomain("get");
        const created = await create(productInput(domain, "orders"));
        const response = await getOne(domain, "orders");
        expect(response.status).toBe(200);
        expect(productOutputSchema.strict().parse(await response.json())).toEqual(created);
      });

      it("returns 404 for an unknown product", async () => {
        const domain = await uniqueDomain("get");
        const response = await getOne(domain, "nothing");
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({ error: `No data product ${domain}/nothing`, code: "not_found" });
      });
    });

    describe("PATCH /api/products/{domain}/{name}", () => {
      it("changes the title and SLA and keeps every other field", async () => {
        const domain = await uniqueDomain("patch");
        const created = await create(
          productInput(domain, "orders", {
            description: "Kept description",
            tags: ["kept-tag"],
            status: "deprecated",
            version: "2.1.0",
            sla: { freshnessHours: 24, retentionDays: 30 },
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 5));
        const response = await patch(domain, "orders", { title: "Renamed orders", sla: { availabilityPercent: 99.5 } });
        expect(response.status).toBe(200);
        const updated = productOutputSchema.strict().parse(await response.json());
        expect(updated).toEqual({
          ...created,
          title: "Renamed orders",
          sla: { availabilityPercent: 99.5 },
          updatedAt: updated.updatedAt,
        });
        expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));

        expect(await (await getOne(domain, "orders")).json()).toEqual(updated);
        // The search text follows the new title.
        expect((await list({ q: "renamed", domain })).body.products.map((product) => product.name)).toEqual(["orders"]);
      });

      it("rejects an invalid change with 422 and leaves the product unchanged", async () => {
        const domain = await uniqueDomain("patch");
        const created = await create(productInput(domain, "orders"));
        const response = await patch(domain, "orders", { title: "Changed", owner: "nobody", sla: { retentionDays: -1 } });
        expect(response.status).toBe(422);
        const body = await response.json();
        expect(Object.keys(body.fieldErrors).sort()).toEqual(["owner", "sla.retentionDays"]);
        expect(await (await getOne(domain, "orders")).json()).toEqual(created);
      });

      it("validates the merged product: a primary key that is not required is refused", async () => {
        const domain = await uniqueDomain("patch");
        const created = await create(productInput(domain, "orders"));
        const response = await patch(domain, "orders", {
          schema: { primaryKey: "code", fields: [{ name: "code", type: "string", required: false }] },
        });
        expect(response.status).toBe(422);
        expect((await response.json()).fieldErrors).toEqual({ "schema.primaryKey": ["The primary key field must be required"] });
        expect(await (await getOne(domain, "orders")).json()).toEqual(created);
      });

      it("refuses to change the address (domain or name) with 422", async () => {
        const domain = await uniqueDomain("patch");
        const created = await create(productInput(domain, "orders"));
        const target = await uniqueDomain("moved");
        const response = await patch(domain, "orders", { domain: target });
        expect(response.status).toBe(422);
        expect((await response.json()).code).toBe("validation");
        expect((await patch(domain, "orders", { name: "renamed" })).status).toBe(422);
        expect(await (await getOne(domain, "orders")).json()).toEqual(created);
        expect(await countIn(target)).toBe(0);
      });

      it("returns 404 for an unknown product", async () => {
        const domain = await uniqueDomain("patch");
        const response = await patch(domain, "nothing", { title: "x" });
        expect(response.status).toBe(404);
        expect((await response.json()).code).toBe("not_found");
      });

      it("rejects a body that is not JSON with 415", async () => {
        const domain = await uniqueDomain("patch");
        const created = await create(productInput(domain, "orders"));
        const response = await patch(domain, "orders", '{"title":"x"}', { "content-type": "text/plain" });
        expect(response.status).toBe(415);
        expect(await (await getOne(domain, "orders")).json()).toEqual(created);
      });
    });

    describe("DELETE /api/products/{domain}/{name}", () => {
      it("deletes a product without records: 204, then 404", async () => {
        const domain = await uniqueDomain("delete");
        await create(productInput(domain, "orders"));
        const response = await remove(domain, "orders");
        expect(response.status).toBe(204);
        expect(await response.text()).toBe("");
        expect(await countIn(domain)).toBe(0);
        expect((await getOne(domain, "orders")).status).toBe(404);
        expect((await remove(domain, "orders")).status).toBe(404);
      });

      it("refuses to delete a product that holds records (409) and keeps it", async () => {
        const domain = await uniqueDomain("delete");
        const created = await create(productInput(domain, "orders"));
        await db().record.create({ data: { productId: created.id, key: "c-1", data: { case_id: "c-1", amount: 10 } } });
        expect((await (await getOne(domain, "orders")).json()).recordCount).toBe(1);

        const response = await remove(domain, "orders");
        expect(response.status).toBe(409);
        expect(await response.json()).toEqual({
          error: "This product holds 1 record and cannot be deleted. Deprecate it instead.",
          code: "conflict",
        });
        expect(await countIn(domain)).toBe(1);
        expect(await db().record.count({ where: { productId: created.id } })).toBe(1);
      });
    });
  });
}

describe("GET /api/openapi.json", () => {
  it("describes the product API in OpenAPI 3.1", async () => {
    const response = getOpenApi();
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/products", "/api/products/{domain}/{name}"]));
    expect(Object.keys(document.paths["/api/products"])).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(document.paths["/api/products/{domain}/{name}"])).toEqual(
      expect.arrayContaining(["get", "patch", "delete"]),
    );
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/keys", "/api/keys/{id}", "/api/domains"]));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/products/{domain}/{name}/access-requests",
        "/api/products/{domain}/{name}/access-requests/{id}/approve",
        "/api/products/{domain}/{name}/access-requests/{id}/deny",
        "/api/products/{domain}/{name}/grants",
        "/api/products/{domain}/{name}/grants/{id}",
      ]),
    );
    expect(Object.keys(document.paths["/api/products/{domain}/{name}/records/{key}"].get.responses)).toContain("403");
    expect(document.components.schemas.ProductUpdate.properties.visibility.enum).toEqual(["public", "restricted"]);
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(["bearer", "cookie"]);
    expect(Object.keys(document.paths["/api/products/{domain}/{name}"].patch.responses)).toEqual(expect.arrayContaining(["401", "403"]));
    expect(Object.keys(document.paths["/api/domains"].post.responses)).toEqual(expect.arrayContaining(["401", "403"]));
    const input = document.components.schemas.ProductInput;
    expect(input.type).toBe("object");
    expect(input.required).toEqual(expect.arrayContaining(["domain", "name", "title", "owner", "schema"]));
    expect(input.additionalProperties).toBe(false);
    expect(document.components.schemas.ProductUpdate.properties).not.toHaveProperty("domain");
    // Every $ref points at a schema that exists.
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((match) => match[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(document.components.schemas).toHaveProperty(ref!);
  });
});
