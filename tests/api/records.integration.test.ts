import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getOpenApi } from "@/app/api/openapi.json/route";
import { createTestUser, type TestUser } from "@/tests/helpers/users";
import { db } from "@/lib/db/client";
import { databaseVariants, uniqueDomain } from "@/tests/helpers/databases";
import { MAX_LISTED_ALIKE, MAX_LISTED_REJECTIONS } from "@/lib/mesh/load-report";
import { BATCH_SIZE } from "@/lib/services/records";
import { recordsTable } from "@/lib/services/records";
import type { Product, ProductFormValues } from "@/lib/validation/product";
import { loadReportSchema, RECORDS_PAGE_SIZE, recordListSchema, recordsTableQuerySchema, storedRecordSchema } from "@/lib/validation/records";
import { POST as createProduct } from "@/app/api/products/route";
import { GET as getProductRoute } from "@/app/api/products/[domain]/[name]/route";
import { GET as getRecordRoute } from "@/app/api/products/[domain]/[name]/records/[key]/route";
import { GET as listRoute, POST as loadRoute } from "@/app/api/products/[domain]/[name]/records/route";

/**
 * The records API through its real route handlers, on the in-process PGlite
 * and on the embedded server over the wire protocol (and on TEST_DATABASE_URL
 * when set), like the products suite.
 */

/** An admin: it may load records into every product (permissions: app/authorization.integration.test.ts). */
let admin: TestUser;

const BASE = "http://localhost";
/** A product with one field of every type; each test gets its own. */
async function newProduct(): Promise<Product> {
  const domain = uniqueDomain("rec");
  await db().domain.create({ data: { name: domain } });
  const input: ProductFormValues = {
    domain,
    name: "orders",
    title: "Orders",
    owner: "orders@example.com",
    status: "active",
    schema: {
      primaryKey: "id",
      fields: [
        { name: "id", type: "string", required: true },
        { name: "qty", type: "integer", required: true },
        { name: "price", type: "number" },
        { name: "paid", type: "boolean" },
        { name: "day", type: "date" },
        { name: "at", type: "timestamp" },
      ],
    },
  };
  const response = await createProduct(
    new Request(`${BASE}/api/products`, { method: "POST", headers: { "content-type": "application/json", ...admin.auth }, body: JSON.stringify(input) }),
    undefined,
  );
  expect(response.status).toBe(201);
  return (await response.json()) as Product;
}

const address = (product: Product) => ({ params: Promise.resolve({ domain: product.domain, name: product.name }) });
const recordsUrl = (product: Product) => `${BASE}/api/products/${product.domain}/${product.name}/records`;

async function load(product: Product, body: BodyInit, contentType: string | null) {
  const init: RequestInit & { duplex?: "half" } = { method: "POST", body, duplex: "half" };
  init.headers = contentType ? { "content-type": contentType, ...admin.auth } : admin.auth;
  const response = await loadRoute(new Request(recordsUrl(product), init), address(product));
  return { status: response.status, body: await response.json() };
}

/** A load that must succeed: returns the report, checked against the documented schema. */
async function loaded(product: Product, body: BodyInit, contentType: string) {
  const { status, body: report } = await load(product, body, contentType);
  expect(status, JSON.stringify(report)).toBe(200);
  return loadReportSchema.strict().parse(report);
}

const ndjson = (rows: unknown[]) => rows.map((row) => (typeof row === "string" ? row : JSON.stringify(row))).join("\n") + "\n";

async function list(product: Product, query: Record<string, string | number> = {}) {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
  const response = await listRoute(new Request(`${recordsUrl(product)}?${search}`, { headers: admin.auth }), address(product));
  return { status: response.status, body: await response.json() };
}

async function getRecord(product: Product, key: string) {
  const response = await getRecordRoute(new Request(`${recordsUrl(product)}/${encodeURIComponent(key)}`, { headers: admin.auth }), {
    params: Promise.resolve({ domain: product.domain, name: product.name, key }),
  });
  return { status: response.status, body: await response.json() };
}

async function stored(product: Product) {
  const rows = await db().record.findMany({ where: { productId: product.id }, orderBy: { key: "asc" } });
  return Object.fromEntries(rows.map((row) => [row.key, row.data]));
}

async function productNow(product: Product): Promise<Product> {
  const response = await getProductRoute(new Request(`${BASE}/api/products/${product.domain}/${product.name}`, { headers: admin.auth }), address(product));
  return (await response.json()) as Product;
}

const valid = (id: string, extra: Record<string, unknown> = {}) => ({ id, qty: 1, ...extra });

for (const variant of databaseVariants) {
  describe.skipIf(variant.skip)(`records API — ${variant.name}`, () => {
    let teardown: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      teardown = await variant.start();
      admin = await createTestUser({ role: "admin" });
    });

    afterAll(async () => {
      await teardown?.();
    });

    describe("POST .../records", () => {
      it("stores the valid rows and reports every bad one with its index, key, field and reason", async () => {
        const product = await newProduct();
        const report = await loaded(
          product,
          ndjson([
            valid("a", { price: 9.5, paid: true, day: "2026-02-28", at: "2026-03-04T08:12:00+01:00" }),
            { id: "b" },
            valid("c", { qty: "3" }),
            valid("d", { qty: 1.5 }),
            valid("e", { price: "12.5" }),
            valid("f", { paid: "yes" }),
            valid("g", { day: "2026-02-30" }),
            valid("h", { at: "2026-03-04T08:12:00" }),
            valid("i", { colour: "red" }),
            valid("a", { qty: 2 }),
            '{"id": "j", "qty": ',
            "42",
            valid("k"),
          ]),
          "application/x-ndjson",
        );
        expect(report.accepted).toBe(2);
        expect(report.rejectedTotal).toBe(11);
        expect(report.rejected).toEqual([
          { index: 1, key: "b", errors: [{ field: "qty", message: "required field is missing" }] },
          { index: 2, key: "c", errors: [{ field: "qty", message: 'expected a whole number, got "3"' }] },
          { index: 3, key: "d", errors: [{ field: "qty", message: "expected a whole number, got 1.5" }] },
          { index: 4, key: "e", errors: [{ field: "price", message: 'expected a number, got "12.5"' }] },
          { index: 5, key: "f", errors: [{ field: "paid", message: 'expected true or false, got "yes"' }] },
          { index: 6, key: "g", errors: [{ field: "day", message: 'expected a valid calendar date, got "2026-02-30"' }] },
          {
            index: 7,
            key: "h",
            errors: [
              {
                field: "at",
                message: 'expected an ISO 8601 timestamp with a time zone, e.g. 2026-03-04T08:12:00Z, got "2026-03-04T08:12:00"',
              },
            ],
          },
          { index: 8, key: "i", errors: [{ field: "colour", message: "unknown field: not in the product's schema" }] },
          { index: 9, key: "a", errors: [{ field: "id", message: "duplicate primary key: row 0 of this load has it too" }] },
          { index: 10, errors: [{ field: "(record)", message: expect.stringMatching(/^malformed JSON line: /) }] },
          { index: 11, errors: [{ field: "(record)", message: "expected an object of fields, got 42" }] },
        ]);
        expect(await stored(product)).toEqual({
          a: { id: "a", qty: 1, price: 9.5, paid: true, day: "2026-02-28", at: "2026-03-04T07:12:00.000Z" },
          k: { id: "k", qty: 1 },
        });
      });

      it("parses CSV cells by the field's type; an empty cell is no value", async () => {
        const product = await newProduct();
        const csv = [
          "id,qty,price,paid,day,at",
          "c1,7,12.50,true,2026-03-04,2026-03-04T08:12:00Z",
          'c2,-3,,FALSE,,"2026-03-04T10:00:00+02:00"',
          "c3,,1,true,2026-03-04,",
          "c4,2,1e3,no,2026-3-4,2026-03-04",
          '"c,5",0,.5,,,',
        ].join("\r\n");
        const report = await loaded(product, csv, "text/csv; charset=utf-8");
        expect(report.accepted).toBe(3);
        expect(report.rejected).toEqual([
          { index: 2, key: "c3", errors: [{ field: "qty", message: "required field is missing" }] },
          {
            index: 3,
            key: "c4",
            errors: [
              { field: "paid", message: 'expected true or false, got "no"' },
              { field: "day", message: 'expected a date YYYY-MM-DD, got "2026-3-4"' },
              { field: "at", message: expect.stringMatching(/^expected an ISO 8601 timestamp with a time zone/) },
            ],
          },
        ]);
        expect(await stored(product)).toEqual({
          c1: { id: "c1", qty: 7, price: 12.5, paid: true, day: "2026-03-04", at: "2026-03-04T08:12:00.000Z" },
          c2: { id: "c2", qty: -3, paid: false, at: "2026-03-04T08:00:00.000Z" },
          "c,5": { id: "c,5", qty: 0, price: 0.5 },
        });
      });

      it("refuses unknown CSV columns once, for the file (422), and fails a CSV row with the wrong number of cells", async () => {
        const product = await newProduct();
        const unknown = await load(product, "id,qty,colour\nx1,1,\nx2,2,red\n", "text/csv");
        expect(unknown.status).toBe(422);
        expect(unknown.body.error).toBe(
          'The CSV header has 1 column that is not fields of the product\'s schema: "colour". Remove it or add it to the schema; nothing was stored.',
        );
        expect(await stored(product)).toEqual({});

        const broken = await load(product, "id,qty\nok,1\nbad\n", "text/csv");
        expect(broken.status).toBe(400);
        expect(broken.body.error).toBe("Malformed CSV: line 3 has 1 cells, the header has 2");
        expect(await stored(product)).toEqual({});
      });

      it("loads a JSON array, rejecting elements that are not valid records", async () => {
        const product = await newProduct();
        const body = JSON.stringify([valid("j1", { price: 1 }), valid("j2", { qty: "2" }), [1, 2], null, valid("j3")]);
        const report = await loaded(product, body, "application/json");
        expect(report).toEqual({
          accepted: 2,
          rejected: [
            { index: 1, key: "j2", errors: [{ field: "qty", message: 'expected a whole number, got "2"' }] },
            { index: 2, errors: [{ field: "(record)", message: "expected an object of fields, got an array" }] },
            { index: 3, errors: [{ field: "(record)", message: "expected an object of fields, got null" }] },
          ],
          rejectedTotal: 3,
          repeated: [],
        });
        expect(Object.keys(await stored(product))).toEqual(["j1", "j3"]);
      });

      it("refuses other content types with 415 and stores nothing", async () => {
        const product = await newProduct();
        for (const type of ["text/plain", "application/xml", null]) {
          const { status, body } = await load(product, ndjson([valid("x")]), type);
          expect(status).toBe(415);
          expect(body.code).toBe("unsupported_media_type");
          expect(body.error).toMatch(/^Send records as application\/json \(an array\), application\/x-ndjson or text\/csv/);
        }
        expect(await stored(product)).toEqual({});
      });

      it("refuses a malformed or unclosed JSON array with 400 and stores none of its rows", async () => {
        const product = await newProduct();
        const cases: [string, RegExp][] = [
          [`[${JSON.stringify(valid("m1"))} ${JSON.stringify(valid("m2"))}]`, /a comma is missing after record 0/],
          [`[${JSON.stringify(valid("m1"))},`, /the array is not closed/],
          [`[${JSON.stringify(valid("m1"))}`, /the array is not closed/],
          [JSON.stringify(valid("m1")), /before the array/],
          ["", /The request body is empty/],
        ];
        for (const [body, message] of cases) {
          const response = await load(product, body, "application/json");
          expect(response.status, body).toBe(400);
          expect(response.body.code).toBe("bad_request");
          expect(response.body.error).toMatch(message);
        }
        expect(await stored(product)).toEqual({});
        expect((await productNow(product)).lastLoadedAt).toBeNull();
      });

      it("answers 404 for an unknown product", async () => {
        const product = await newProduct();
        const missing = { ...product, name: "no-such-product" };
        const { status, body } = await load(missing, ndjson([valid("x")]), "application/x-ndjson");
        expect(status).toBe(404);
        expect(body.code).toBe("not_found");
      });

      it("streams large loads in batches, and a failure after the first batches stores nothing", async () => {
        const product = await newProduct();
        const rows = Array.from({ length: BATCH_SIZE * 2 + 17 }, (_, index) => valid(`r${String(index).padStart(5, "0")}`, { qty: index }));
        const text = ndjson(rows);
        const bytes = new TextEncoder().encode(text);
        // Uneven chunks: the server must not depend on where the network splits the body.
        const chunks = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let start = 0; start < bytes.length; start += 1000) controller.enqueue(bytes.slice(start, start + 1000));
            controller.close();
          },
        });
        expect((await loaded(product, chunks, "application/x-ndjson")).accepted).toBe(rows.length);
        expect(await db().record.count({ where: { productId: product.id } })).toBe(rows.length);

        const other = await newProduct();
        const array = `[${rows.map((row) => JSON.stringify(row)).join(",")}`;
        expect((await load(other, array, "application/json")).status).toBe(400);
        expect(await db().record.count({ where: { productId: other.id } })).toBe(0);
      });

      it("lists at most the first 1000 rejected rows, counting all", async () => {
        const product = await newProduct();
        const rows = Array.from({ length: MAX_LISTED_REJECTIONS + 5 }, (_, index) => ({ id: `bad-${index}`, qty: `q${index}` }));
        const report = await loaded(product, ndjson([...rows, valid("good")]), "application/x-ndjson");
        expect(report.accepted).toBe(1);
        expect(report.rejected).toHaveLength(MAX_LISTED_REJECTIONS);
        expect(report.rejectedTotal).toBe(MAX_LISTED_REJECTIONS + 5);
        expect(report.rejected.at(-1)!.index).toBe(MAX_LISTED_REJECTIONS - 1);
      });

      it("lists rows with the same errors a few times and counts the rest", async () => {
        const product = await newProduct();
        const rows = Array.from({ length: 1_200 }, (_, index) => ({ id: `same-${index}` }));
        const report = await loaded(product, ndjson(rows), "application/x-ndjson");
        expect(report.rejectedTotal).toBe(1_200);
        expect(report.rejected).toHaveLength(MAX_LISTED_ALIKE);
        expect(report.repeated).toEqual([
          { errors: [{ field: "qty", message: "required field is missing" }], rows: 1_190, message: "and 1,190 more rows with the same error" },
        ]);
      });

      it("is idempotent: re-loading upserts by key and keeps unchanged records' updatedAt", async () => {
        const product = await newProduct();
        const file = ndjson([valid("u1", { price: 1 }), valid("u2", { price: 2 }), { id: "u3" }]);
        const first = await loaded(product, file, "application/x-ndjson");
        const before = await db().record.findMany({ where: { productId: product.id }, orderBy: { key: "asc" } });
        await new Promise((resolve) => setTimeout(resolve, 20));

        expect(await loaded(product, file, "application/x-ndjson")).toEqual(first);
        const again = await db().record.findMany({ where: { productId: product.id }, orderBy: { key: "asc" } });
        expect(again).toEqual(before);

        await loaded(product, ndjson([valid("u1", { price: 1 }), valid("u2", { price: 20 })]), "application/x-ndjson");
        const [u1, u2] = await db().record.findMany({ where: { productId: product.id }, orderBy: { key: "asc" } });
        expect(u1).toEqual(before[0]);
        expect(u2!.data).toEqual({ id: "u2", qty: 1, price: 20 });
        expect(u2!.createdAt).toEqual(before[1]!.createdAt);
        expect(u2!.updatedAt.getTime()).toBeGreaterThan(before[1]!.updatedAt.getTime());
        expect(await db().record.count({ where: { productId: product.id } })).toBe(2);
      });

      it("sets the last-loaded time when rows are stored, without touching the product's updatedAt", async () => {
        const product = await newProduct();
        expect(product.lastLoadedAt).toBeNull();
        await loaded(product, ndjson([{ id: "only-bad" }]), "application/x-ndjson");
        expect((await productNow(product)).lastLoadedAt).toBeNull();

        const started = Date.now();
        await loaded(product, ndjson([valid("l1")]), "application/x-ndjson");
        const after = await productNow(product);
        expect(after.lastLoadedAt).not.toBeNull();
        expect(Date.parse(after.lastLoadedAt!)).toBeGreaterThanOrEqual(started - 1000);
        expect(after.updatedAt).toBe(product.updatedAt);
        expect(after.recordCount).toBe(1);
      });
    });

    describe("GET .../records", () => {
      let product: Product;
      const keys = ["k1", "k2", "k3", "k4", "k5", "k6", "k7"];

      beforeAll(async () => {
        product = await newProduct();
        await loaded(product, ndjson([...keys].reverse().map((key) => valid(key))), "application/x-ndjson");
      });

      it("pages through the records in key order with a cursor", async () => {
        const seen: string[] = [];
        let cursor: string | null = null;
        const pages: number[] = [];
        do {
          const { status, body } = await list(product, { limit: 3, ...(cursor ? { cursor } : {}) });
          expect(status).toBe(200);
          const page = recordListSchema.strict().parse(body);
          pages.push(page.records.length);
          seen.push(...page.records.map((record) => record.key));
          cursor = page.nextCursor;
        } while (cursor);
        expect(pages).toEqual([3, 3, 1]);
        expect(seen).toEqual(keys);
      });

      it("returns the record's data and times, 100 by default", async () => {
        const { body } = await list(product);
        expect(body.records).toHaveLength(7);
        expect(body.nextCursor).toBeNull();
        expect(body.records[0]).toEqual({ key: "k1", data: { id: "k1", qty: 1 }, createdAt: expect.any(String), updatedAt: expect.any(String) });
      });

      it("rejects an invalid limit with 422 and an unknown product with 404", async () => {
        expect((await list(product, { limit: 0 })).status).toBe(422);
        expect((await list(product, { limit: 1001 })).body.fieldErrors).toEqual({ limit: ["limit must be at most 1000"] });
        expect((await list({ ...product, domain: "nope" })).status).toBe(404);
      });
    });

    describe("the product page's records table", () => {
      let product: Product;

      beforeAll(async () => {
        const created = await newProduct();
        const rows = Array.from({ length: RECORDS_PAGE_SIZE + 5 }, (_, index) =>
          valid(`t${String(index).padStart(2, "0")}`, { qty: (index * 7) % 30, ...(index % 3 ? { price: index / 4 } : {}) }),
        );
        await loaded(created, ndjson(rows), "application/x-ndjson");
        product = await productNow(created);
      });

      const keysOf = (page: { records: { key: string }[] }) => page.records.map((record) => record.key);

      it("sorts by the primary key by default, 25 a page", async () => {
        const first = await recordsTable(admin.actor, product, recordsTableQuerySchema.parse({}));
        expect(first).toMatchObject({ sort: "id", dir: "asc", page: 1, pages: 2 });
        expect(keysOf(first)).toHaveLength(RECORDS_PAGE_SIZE);
        expect(keysOf(first)[0]).toBe("t00");
        expect(keysOf(await recordsTable(admin.actor, product, recordsTableQuerySchema.parse({ page: "2" })))).toEqual(["t25", "t26", "t27", "t28", "t29"]);
      });

      it("sorts integer and number fields numerically, missing values last, then by key", async () => {
        const byQty = await recordsTable(admin.actor, product, recordsTableQuerySchema.parse({ sort: "qty", dir: "desc" }));
        const quantities = byQty.records.map((record) => record.data.qty as number);
        expect(quantities).toEqual([...quantities].sort((a, b) => b - a));
        expect(quantities[0]).toBe(29);

        const pages = [await recordsTable(admin.actor, product, recordsTableQuerySchema.parse({ sort: "price" })), await recordsTable(admin.actor, product, recordsTableQuerySchema.parse({ sort: "price", page: 2 }))];
        const byPrice = pages.flatMap((page) => page.records);
        const prices = byPrice.map((record) => record.data.price as number | undefined);
        const present = prices.filter((price) => price !== undefined);
        expect(present).toEqual([...present].sort((a, b) => a - b));
        expect(prices.slice(present.length).every((price) => price === undefined)).toBe(true);
      });

      it("falls back to valid values for an unknown field, a bad direction or a page past the end", async () => {
        expect(await recordsTable(admin.actor, product, recordsTableQuerySchema.parse({ sort: "nope", dir: "sideways", page: "99" }))).toMatchObject({
          sort: "id",
          dir: "asc",
          page: 2,
        });
        expect(await recordsTable(admin.actor, product, recordsTableQuerySchema.parse({ sort: ["qty", "id"], page: "-1" }))).toMatchObject({ sort: "id", page: 1 });
      });
    });

    describe("GET .../records/{key}", () => {
      it("returns one record by key, whatever characters the key holds, and 404 for unknown keys", async () => {
        const product = await newProduct();
        const odd = "a/b c?d#e%f 'ü'";
        await loaded(product, ndjson([valid(odd), valid("plain")]), "application/x-ndjson");
        const { status, body } = await getRecord(product, odd);
        expect(status).toBe(200);
        expect(storedRecordSchema.strict().parse(body)).toMatchObject({ key: odd, data: { id: odd, qty: 1 } });

        const missing = await getRecord(product, "nope");
        expect(missing.status).toBe(404);
        expect(missing.body).toEqual({ error: `No record nope in ${product.domain}/orders`, code: "not_found" });
      });
    });
  });
}

describe("GET /api/openapi.json: records", () => {
  it("documents loading, listing and getting records", async () => {
    const document = await getOpenApi().json();
    const records = document.paths["/api/products/{domain}/{name}/records"];
    expect(Object.keys(records.post.requestBody.content)).toEqual(["application/json", "application/x-ndjson", "text/csv"]);
    expect(records.post.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/LoadReport" });
    expect(Object.keys(records.post.responses)).toEqual(expect.arrayContaining(["400", "404", "415"]));
    expect(records.get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(["limit", "cursor"]);
    expect(document.paths["/api/products/{domain}/{name}/records/{key}"].get.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Record",
    });
    expect(document.components.schemas.LoadReport.required).toEqual(["accepted", "rejected", "rejectedTotal", "repeated"]);
    expect(document.components.schemas.Product.properties).toHaveProperty("lastLoadedAt");
  });
});
