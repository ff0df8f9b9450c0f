import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createProduct, GET as listProducts } from "@/app/api/products/route";
import { POST as loadRoute } from "@/app/api/products/[domain]/[name]/records/route";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import type { Product, ProductFormValues } from "@/lib/validation/product";
import { uniqueDomain, wireProtocol } from "@/tests/helpers/databases";
import { createTestUser, type TestUser } from "@/tests/helpers/users";

/**
 * Hostile uploads through the records route, on the embedded server over the
 * wire protocol with one connection, as `npm start` runs it: a slow or stalled
 * upload holds no database connection, reports stay small, and input the
 * database cannot hold is a 4xx naming the row and field, never a 500.
 */

const BASE = "http://localhost";
const ENV = { UPLOAD_IDLE_SECONDS: "1", RECORD_MAX_BYTES: String(64 * 1024) };
let admin: TestUser;

const fields: ProductFormValues["schema"]["fields"] = [
  { name: "id", type: "string", required: true },
  { name: "qty", type: "integer" },
  { name: "note", type: "string" },
];

async function newProduct(schemaFields = fields): Promise<Product> {
  const domain = uniqueDomain("up");
  await db().domain.create({ data: { name: domain } });
  const response = await createProduct(json("POST", `${BASE}/api/products`, {
    domain,
    name: "items",
    title: "Items",
    owner: "items@example.com",
    schema: { primaryKey: "id", fields: schemaFields },
  }), undefined);
  expect(response.status).toBe(201);
  return (await response.json()) as Product;
}

function json(method: string, url: string, body: unknown): Request {
  return new Request(url, { method, headers: { "content-type": "application/json", ...admin.auth }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function load(product: Product, body: BodyInit, contentType: string) {
  const init: RequestInit & { duplex?: "half" } = { method: "POST", body, duplex: "half", headers: { "content-type": contentType, ...admin.auth } };
  const response = await loadRoute(new Request(`${BASE}/api/products/${product.domain}/${product.name}/records`, init), {
    params: Promise.resolve({ domain: product.domain, name: product.name }),
  });
  const text = await response.text();
  return { status: response.status, bytes: text.length, body: JSON.parse(text) as Record<string, unknown> & { error?: string } };
}

const storedKeys = async (product: Product) =>
  (await db().record.findMany({ where: { productId: product.id }, orderBy: { key: "asc" }, select: { key: true } })).map((row) => row.key);

/** An NDJSON body that sends `rows` records, one every `everyMs`, then (if `hang`) stays open sending nothing. */
function drip(rows: number, everyMs: number, hang = false): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === rows) {
        if (hang) await new Promise(() => {});
        controller.close();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      controller.enqueue(new TextEncoder().encode(`${JSON.stringify({ id: `slow-${sent++}`, qty: sent })}\n`));
    },
  });
}

describe("hostile uploads (wire protocol, one connection)", () => {
  let stop: () => Promise<void>;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    resetEnvCache();
    stop = await wireProtocol.start();
    admin = await createTestUser({ role: "admin" });
  });

  afterAll(async () => {
    await stop();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvCache();
  });

  it("a slow upload holds no connection: other reads are answered while it is still arriving, and its rows are stored at the end", async () => {
    const product = await newProduct();
    let arrived = false;
    const upload = load(product, drip(30, 100), "application/x-ndjson").finally(() => (arrived = true));
    // Had the upload held the one connection, no read could be answered before it ended.
    let answeredDuring = 0;
    for (let read = 0; read < 3 && !arrived; read++) {
      const response = await listProducts(new Request(`${BASE}/api/products?limit=5`, { headers: admin.auth }), undefined);
      expect(response.status).toBe(200);
      await response.json();
      if (!arrived) answeredDuring++;
    }
    expect(answeredDuring).toBeGreaterThan(0);
    const result = await upload;
    expect(result.status).toBe(200);
    expect(result.body.accepted).toBe(30);
    expect(await storedKeys(product)).toHaveLength(30);
  });

  it("an upload that goes quiet is ended with 408 after UPLOAD_IDLE_SECONDS, and nothing of it is stored", async () => {
    const product = await newProduct();
    const started = Date.now();
    const result = await load(product, drip(3, 10, true), "application/x-ndjson");
    expect(result.status).toBe(408);
    expect(result.body.error).toBe("The upload sent nothing for 1 s: it was ended and nothing was stored");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await storedKeys(product)).toEqual([]);
  });

  it("keeps the report small: unknown CSV columns are one 422, repeated errors are counted, not listed", async () => {
    const product = await newProduct();
    const unknown = Array.from({ length: 2_000 }, (_, at) => `extra_${at}`);
    const csv = [["id", ...unknown].join(","), ...Array.from({ length: 1_200 }, (_, row) => [`r${row}`, ...unknown.map(() => "x")].join(","))].join("\n");
    const refused = await load(product, csv, "text/csv");
    expect(refused.status).toBe(422);
    expect(refused.bytes).toBeLessThan(2_000);
    expect(refused.body.error).toMatch(/^The CSV header has 2,000 columns that are not fields of the product's schema: "extra_0", .* and 1,990 more\./);

    const rows = Array.from({ length: 1_200 }, (_, row) => JSON.stringify({ id: `j${row}`, ...Object.fromEntries(unknown.map((name) => [name, 1])) }));
    const report = await load(product, rows.join("\n"), "application/x-ndjson");
    expect(report.status).toBe(200);
    expect(report.bytes).toBeLessThan(1024 * 1024);
    expect(report.body.rejectedTotal).toBe(1_200);
    expect(report.body.repeated).toEqual([expect.objectContaining({ rows: 1_190, message: "and 1,190 more rows with the same errors" })]);
    expect(await storedKeys(product)).toEqual([]);
  });

  it("rejects a record over RECORD_MAX_BYTES as a row with its reason, and stores the others", async () => {
    const product = await newProduct();
    const big = JSON.stringify({ id: "big", note: "x".repeat(100 * 1024) });
    const result = await load(product, [JSON.stringify({ id: "a" }), big, JSON.stringify({ id: "b" })].join("\n"), "application/x-ndjson");
    expect(result.status).toBe(200);
    expect(result.body.rejected).toEqual([{ index: 1, errors: [{ field: "(record)", message: "the record is larger than 64 KiB, the most one record may hold" }] }]);
    expect(await storedKeys(product)).toEqual(["a", "b"]);
  });

  it("names the row and field of text the database cannot hold, and stores the valid rows", async () => {
    const product = await newProduct();
    const body = [
      '{"id":"ok-1","note":"fine"}',
      '{"id":"nul-in-key\\u0000"}',
      '{"id":"nul-in-text","note":"a\\u0000b"}',
      '{"id":"lone","note":"\\ud800"}',
      JSON.stringify({ id: "k".repeat(9_000) }),
      '{"id":"twice","qty":1,"qty":2}',
      '{"id":"ok-2"}',
    ].join("\n");
    const result = await load(product, body, "application/x-ndjson");
    expect(result.status).toBe(200);
    expect(result.body.rejected).toEqual([
      { index: 1, errors: [{ field: "id", message: "contains a NUL character (\\u0000), which text cannot hold" }] },
      { index: 2, key: "nul-in-text", errors: [{ field: "note", message: "contains a NUL character (\\u0000), which text cannot hold" }] },
      { index: 3, key: "lone", errors: [{ field: "note", message: "contains an unpaired UTF-16 surrogate, which is not valid Unicode" }] },
      { index: 4, errors: [{ field: "id", message: "primary key is 9000 characters long; at most 512 are allowed" }] },
      { index: 5, errors: [{ field: "qty", message: 'repeated key: the key "qty" appears twice in one object' }] },
    ]);
    expect(await storedKeys(product)).toEqual(["ok-1", "ok-2"]);

    const rawNul = await load(product, new Uint8Array([...new TextEncoder().encode('{"id":"raw'), 0, ...new TextEncoder().encode('"}\n')]), "application/x-ndjson");
    expect(rawNul.status).toBe(200);
    expect(rawNul.body.rejected).toEqual([{ index: 0, errors: [{ field: "(record)", message: expect.stringMatching(/^malformed JSON line: Bad control character/) }] }]);
  });

  it("refuses a Latin-1 CSV with a 422 naming the line, or reads it when the charset says so; a repeated header is a 422", async () => {
    const product = await newProduct();
    const latin1 = Uint8Array.from([..."id,note\nz1,Zürich\n"].map((char) => char.charCodeAt(0)));
    const refused = await load(product, latin1, "text/csv");
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatch(/^The body is not valid UTF-8 \(line 2\)/);
    expect(await storedKeys(product)).toEqual([]);

    const declared = await load(product, latin1, "text/csv; charset=iso-8859-1");
    expect(declared.body.accepted).toBe(1);
    expect((await db().record.findFirst({ where: { productId: product.id } }))!.data).toEqual({ id: "z1", note: "Zürich" });

    const repeated = await load(product, "id,note,note\nq1,a,b\n", "text/csv");
    expect(repeated.status).toBe(422);
    expect(repeated.body.error).toBe('The CSV header repeats the column "note" (columns 2 and 3)');
  });

  it("refuses reserved field names and text with NUL in a product, naming the field", async () => {
    const domain = uniqueDomain("up");
    await db().domain.create({ data: { name: domain } });
    const base = { domain, name: "reserved", title: "Reserved", owner: "r@example.com" };
    for (const name of ["__proto__", "constructor", "toString"]) {
      const response = await createProduct(
        json("POST", `${BASE}/api/products`, { ...base, schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }, { name, type: "string" }] } }),
        undefined,
      );
      expect(response.status, name).toBe(422);
      expect((await response.json()).fieldErrors).toEqual({ "schema.fields.1.name": [`"${name}" is reserved (a property of every JavaScript object); choose another name`] });
    }
    const nul = await createProduct(
      json("POST", `${BASE}/api/products`, { ...base, title: "Bad\u0000title", schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }] } }),
      undefined,
    );
    expect(nul.status).toBe(422);
    expect((await nul.json()).fieldErrors).toEqual({ title: ["Text contains a NUL character (\\u0000), which text cannot hold"] });
    const twice = await createProduct(json("POST", `${BASE}/api/products`, `{"domain":"${domain}","domain":"other"}`), undefined);
    expect(twice.status).toBe(422);
    expect(await db().product.count({ where: { domain } })).toBe(0);
  });
});
