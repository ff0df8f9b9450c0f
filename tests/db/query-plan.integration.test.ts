import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, parseOrThrow } from "@/lib/errors";
import { buildCatalog } from "@/lib/mesh/plan/catalog";
import { registerProduct } from "@/lib/services/products";
import { loadRecords } from "@/lib/services/records";
import type { Plan, PlanInput } from "@/lib/validation/answers";
import { planSchema } from "@/lib/validation/answers";
import { productInputSchema, type Product } from "@/lib/validation/product";
import { insertDomain } from "@/lib/db/accounts";
import { db } from "@/lib/db/client";
import { getProduct } from "@/lib/db/products";
import { executePlan, executePlanInSql, recordsHoldingValues, StaleCatalog } from "@/lib/db/query-plan";
import { recordColumns } from "@/lib/db/record-columns";
import { evaluatePlan } from "@/lib/mesh/plan/columns";
import { currentCatalog, heldCatalog, valueCatalog } from "@/lib/db/value-catalog";
import { databaseVariants, uniqueDomain } from "@/tests/helpers/databases";
import { createTestUser, type TestUser } from "@/tests/helpers/users";

/**
 * The plan executor and the value catalog on every database variant (PGlite
 * in-process, over the wire protocol, and native Postgres when
 * TEST_DATABASE_URL is set): typed casts, conditions, aggregates, order,
 * limits, shared keys, and plans that do not fit the product.
 */

const fields = [
  { name: "order_id", type: "string", required: true },
  { name: "placed_on", type: "date", required: true },
  { name: "shipped_at", type: "timestamp", required: false },
  { name: "city", type: "string", required: true },
  { name: "status", type: "string", required: true },
  { name: "amount", type: "number", required: true },
  { name: "items", type: "integer", required: true },
  { name: "gift", type: "boolean", required: true },
  { name: "coupon", type: "string", required: false },
] as const;

/** Plans over every field with values from the records and between them, each operation, sort and limit. */
function battery(): Omit<PlanInput, "product">[] {
  const filters: PlanInput["filters"] = [];
  for (const { name } of fields) {
    const seen = [...new Set(records.map((record) => (record as Record<string, unknown>)[name]).filter((value) => value !== undefined))] as (string | number | boolean)[];
    const days = seen.filter((value): value is string => typeof value === "string" && /^\d{4}-/.test(value)).map((value) => value.slice(0, 10));
    for (const value of [...seen, ...days, "Nowhere"]) {
      for (const op of ["eq", "ne", "gt", "gte", "lt", "lte"] as const) filters.push({ field: name, op, value });
    }
    filters.push({ field: name, op: "in", values: seen.slice(0, 2) }, { field: name, op: "not_in", values: seen.slice(1, 3) }, { field: name, op: "present" }, { field: name, op: "absent" });
    if (seen.length >= 2) filters.push({ field: name, op: "between", values: [days[0] ?? seen[0]!, days[1] ?? seen[1]!] });
  }
  // Two fields of one record compared: a timestamp with a date, a date with a timestamp, numbers of two types.
  for (const op of ["gt", "gte", "lt", "lte"] as const) {
    filters.push({ field: "shipped_at", op, than: "placed_on" }, { field: "placed_on", op, than: "shipped_at" }, { field: "amount", op, than: "items" });
  }
  const measures = ["sum", "avg", "min", "max"] as const;
  const grouped = ["city", "status", "gift"] as const;
  const sorted = ["placed_on", "shipped_at", "amount", "status"] as const;
  return filters.map((filter, i): Omit<PlanInput, "product"> => {
    const direction = i % 2 ? "asc" : "desc";
    switch (i % 5) {
      case 0:
        return { operation: "count", filters: [filter] };
      case 1:
        return { operation: "list", filters: [filter, filters[(i * 7) % filters.length]!], limit: 2 };
      case 2:
        return { operation: measures[i % 4]!, field: i % 2 ? "amount" : "items", filters: [filter], limit: 1 + (i % 3) };
      case 3:
        return { operation: "group", field: grouped[i % 3]!, filters: [filter], sort: { field: "amount", direction } };
      default:
        return { operation: "list", filters: [filter], sort: { field: sorted[i % 4]!, direction }, limit: 1 + (i % 3) };
    }
  });
}

const records = [
  { order_id: "O-1", placed_on: "2026-01-05", shipped_at: "2026-01-06T23:30:00Z", city: "Austin", status: "shipped", amount: 9, items: 1, gift: false, coupon: "SAVE-1" },
  { order_id: "O-2", placed_on: "2026-01-20", shipped_at: "2026-01-31T23:59:00Z", city: "Austin", status: "shipped", amount: 10, items: 2, gift: true },
  { order_id: "O-3", placed_on: "2026-02-01", shipped_at: "2026-02-01T00:00:00Z", city: "Reno", status: "open", amount: 100.5, items: 3, gift: false },
  { order_id: "O-4", placed_on: "2026-02-14", city: "Reno", status: "cancelled", amount: 250, items: 1, gift: true, coupon: "SAVE-2" },
  { order_id: "O-5", placed_on: "2026-03-01", city: "Denver", status: "open", amount: 42, items: 12, gift: false },
];

for (const variant of databaseVariants) {
  describe.skipIf(variant.skip)(`plan executor — ${variant.name}`, () => {
    let teardown: () => Promise<void>;
    let admin: TestUser;
    let product: Product;
    const run = (plan: Omit<PlanInput, "product">) => executePlan(product.id, planSchema.parse({ product: `${product.domain}/${product.name}`, ...plan }) as Plan, product.schema);
    const keys = async (plan: Omit<PlanInput, "product">) => (await run(plan)).rows.map((row) => row.key);

    beforeAll(async () => {
      teardown = await variant.start();
      admin = await createTestUser({ role: "admin" });
      const domain = uniqueDomain("plans");
      await insertDomain({ name: domain, description: "" });
      await registerProduct(admin.actor, parseOrThrow(productInputSchema, { domain, name: "orders", title: "Orders", owner: "o@example.com", schema: { primaryKey: "order_id", fields } }));
      await loadRecords(admin.actor, { domain, name: "orders" }, Readable.from([Buffer.from(JSON.stringify(records))]), "application/json");
      product = await getProduct(domain, "orders");
    });
    afterAll(async () => teardown?.());

    it("builds the value catalog the in-memory rules build", async () => {
      const catalog = await valueCatalog(product.id, product.schema);
      const expected = buildCatalog(product.schema, records.map((record) => ({ ...record, ...(record.shipped_at ? { shipped_at: new Date(record.shipped_at).toISOString() } : {}) })));
      expect(catalog.fields.find((field) => field.name === "status")!.values).toEqual(expected.fields.find((field) => field.name === "status")!.values);
      expect(catalog.fields.find((field) => field.name === "amount")).toMatchObject({ min: 9, max: 250, present: 5 });
      expect(catalog.fields.find((field) => field.name === "placed_on")).toMatchObject({ min: "2026-01-05", max: "2026-03-01" });
      expect(catalog.fields.find((field) => field.name === "coupon")!.samples).toEqual(["SAVE-1", "SAVE-2"]);
    });

    it("compares numbers as numbers, dates as dates and timestamps by UTC day", async () => {
      expect(await keys({ operation: "list", filters: [{ field: "amount", op: "gte", value: 10 }] })).toEqual(["O-2", "O-3", "O-4", "O-5"]);
      expect(await keys({ operation: "list", filters: [{ field: "placed_on", op: "between", values: ["2026-01-01", "2026-01-31"] }] })).toEqual(["O-1", "O-2"]);
      expect(await keys({ operation: "list", filters: [{ field: "shipped_at", op: "between", values: ["2026-01-01", "2026-01-31"] }] })).toEqual(["O-1", "O-2"]);
      expect(await keys({ operation: "list", filters: [{ field: "shipped_at", op: "lte", value: "2026-01-31" }] })).toEqual(["O-1", "O-2"]);
      expect(await keys({ operation: "list", filters: [{ field: "shipped_at", op: "gte", value: "2026-02-01" }] })).toEqual(["O-3"]);
    });

    it("filters on categories (as stored, by JSON containment), booleans, lists, negations and presence", async () => {
      expect(await keys({ operation: "list", filters: [{ field: "city", op: "eq", value: "Austin" }] })).toEqual(["O-1", "O-2"]);
      expect(await keys({ operation: "list", filters: [{ field: "items", op: "eq", value: 12 }] })).toEqual(["O-5"]);
      expect(await keys({ operation: "list", filters: [{ field: "gift", op: "eq", value: true }] })).toEqual(["O-2", "O-4"]);
      expect(await keys({ operation: "list", filters: [{ field: "status", op: "in", values: ["open", "cancelled"] }] })).toEqual(["O-3", "O-4", "O-5"]);
      expect(await keys({ operation: "list", filters: [{ field: "status", op: "not_in", values: ["open", "cancelled"] }] })).toEqual(["O-1", "O-2"]);
      expect(await keys({ operation: "list", filters: [{ field: "city", op: "ne", value: "Reno" }] })).toEqual(["O-1", "O-2", "O-5"]);
      expect(await keys({ operation: "list", filters: [{ field: "coupon", op: "present" }] })).toEqual(["O-1", "O-4"]);
      expect(await keys({ operation: "list", filters: [{ field: "shipped_at", op: "absent" }] })).toEqual(["O-4", "O-5"]);
    });

    it("counts, adds up, averages and takes extremes", async () => {
      expect(await run({ operation: "count", filters: [{ field: "city", op: "eq", value: "Reno" }] })).toMatchObject({ matched: 2, value: 2 });
      expect((await run({ operation: "sum", field: "amount", filters: [{ field: "status", op: "eq", value: "shipped" }] })).value).toBe(19);
      expect((await run({ operation: "sum", field: "amount", filters: [{ field: "city", op: "eq", value: "Nowhere" }] })).value).toBe(0);
      expect((await run({ operation: "avg", field: "items" })).value).toBeCloseTo(19 / 5);
      expect(await keys({ operation: "max", field: "items", limit: 1 })).toEqual(["O-5"]);
      expect(await keys({ operation: "min", field: "amount", limit: 2 })).toEqual(["O-1", "O-2"]);
      expect((await run({ operation: "group", field: "city" })).groups).toEqual([
        { value: "Austin", count: 2, total: null },
        { value: "Reno", count: 2, total: null },
        { value: "Denver", count: 1, total: null },
      ]);
    });

    it("sorts, limits and says when rows were capped", async () => {
      const latest = await run({ operation: "list", sort: { field: "placed_on", direction: "desc" }, limit: 2 });
      expect(latest.rows.map((row) => row.key)).toEqual(["O-5", "O-4"]);
      expect(latest).toMatchObject({ matched: 5, capped: true });
    });

    it("keeps only the records the search found relevant when the plan asks for it, inside its filters", async () => {
      const plan = (input: Omit<PlanInput, "product">) => planSchema.parse({ product: `${product.domain}/${product.name}`, ...input }) as Plan;
      const ranking = { keys: ["O-4", "O-2", "O-5", "O-1"], scores: [0.9, 0.8, 0.5, 0.1], relevant: ["O-4", "O-2", "O-5"] };
      const relevant = await executePlan(product.id, plan({ operation: "count", relevantOnly: true }), product.schema, ranking);
      expect(relevant).toMatchObject({ matched: 3, value: 3 });
      expect(relevant.rows.map((row) => row.key)).toEqual(["O-4", "O-2", "O-5"]);
      const inReno = await executePlan(product.id, plan({ operation: "list", relevantOnly: true, filters: [{ field: "city", op: "eq", value: "Reno" }] }), product.schema, ranking);
      expect(inReno.rows.map((row) => row.key)).toEqual(["O-4"]);
      // Without the flag, the same ranking orders every record.
      expect((await executePlan(product.id, plan({ operation: "count" }), product.schema, ranking)).matched).toBe(5);
    });

    it("compares two fields of a record: a timestamp after a date's whole day, numbers as numbers", async () => {
      expect(await keys({ operation: "list", filters: [{ field: "shipped_at", op: "gt", than: "placed_on" }] })).toEqual(["O-1", "O-2"]);
      expect(await keys({ operation: "list", filters: [{ field: "shipped_at", op: "lte", than: "placed_on" }] })).toEqual(["O-3"]);
      // The same comparisons said date first.
      expect(await keys({ operation: "list", filters: [{ field: "placed_on", op: "lt", than: "shipped_at" }] })).toEqual(["O-1", "O-2"]);
      expect(await keys({ operation: "list", filters: [{ field: "placed_on", op: "gte", than: "shipped_at" }] })).toEqual(["O-3"]);
      expect(await keys({ operation: "list", filters: [{ field: "items", op: "gte", than: "amount" }] })).toEqual([]);
      expect(await keys({ operation: "list", filters: [{ field: "amount", op: "gt", than: "items" }, { field: "city", op: "eq", value: "Reno" }] })).toEqual(["O-3", "O-4"]);
      const mixed = await run({ operation: "count", filters: [{ field: "city", op: "gt", than: "amount" }] }).catch((error: unknown) => error);
      expect((mixed as AppError).message).toBe("city (string) cannot be compared with amount (number)");
      expect(planSchema.safeParse({ product: "d/p", operation: "list", filters: [{ field: "city", op: "eq", than: "status" }] }).success).toBe(false);
      expect(planSchema.safeParse({ product: "d/p", operation: "list", filters: [{ field: "amount", op: "gt", than: "items", value: 3 }] }).success).toBe(false);
      expect(planSchema.safeParse({ product: "d/p", operation: "list", filters: [{ field: "amount", op: "gt", than: "amount" }] }).success).toBe(false);
    });

    it("refuses a field the product lacks and a total of text, naming them", async () => {
      const unknown = await run({ operation: "count", filters: [{ field: "colour", op: "eq", value: "red" }] }).catch((error: unknown) => error);
      expect(unknown).toBeInstanceOf(AppError);
      expect((unknown as AppError).message).toBe("colour is not a field of this product");
      const text = await run({ operation: "sum", field: "city" }).catch((error: unknown) => error);
      expect((text as AppError).message).toBe("sum needs a number field; city is not one");
    });

    it("answers every plan over the product's columns as the SQL executor does, with and without a search ranking", async () => {
      const columns = await recordColumns(product.id, product.schema);
      expect(columns?.keys).toEqual(["O-1", "O-2", "O-3", "O-4", "O-5"]);
      // One ranking with scores only, one with a query vector too (no record has an embedding: every distance is null).
      const rankings = [undefined, { keys: ["O-4", "O-2"], scores: [0.9, 0.9] }, { keys: ["O-5"], scores: [0.4], embedding: [1, 0, 0], relevant: ["O-5", "O-3", "O-1"] }];
      const plans = battery();
      let decided = 0;
      for (const [i, input] of plans.entries()) {
        const plan = planSchema.parse({ product: `${product.domain}/${product.name}`, ...input }) as Plan;
        if (evaluatePlan(columns!, plan)) decided++;
        // Each plan with one of the rankings, in turn.
        const ranking = rankings[i % rankings.length];
        const asked = i % rankings.length === 2 ? { ...plan, relevantOnly: true } : plan;
        const outcome = async (execute: typeof executePlan) => {
          try {
            const { value, ...rest } = await execute(product.id, asked, product.schema, ranking);
            return { ...rest, value: value === null ? null : Math.round(value * 1e9) / 1e9, rows: rest.rows.map((row) => row.key) };
          } catch (error) {
            return { error: (error as Error).message };
          }
        };
        expect(await outcome(executePlan), JSON.stringify({ plan: input, ranking })).toEqual(await outcome(executePlanInSql));
      }
      // The comparison is not vacuous: most plans are decided by the columns (identifiers and text ranges are left to SQL).
      expect(decided).toBeGreaterThan(plans.length / 2);
    }, 120_000);

    it("treats values as data: quotes and SQL in a value or a field name change nothing", async () => {
      expect(await keys({ operation: "list", filters: [{ field: "city", op: "eq", value: "Austin' OR '1'='1" }] })).toEqual([]);
      const injected = await run({ operation: "count", filters: [{ field: "city", op: "in", values: ["x'); DROP TABLE records; --"] }] });
      expect(injected.matched).toBe(0);
      expect((await run({ operation: "count" })).matched).toBe(5);
    });

    it("finds the records that hold shared key values", async () => {
      const found = await recordsHoldingValues(product.id, ["coupon", "order_id"], ["SAVE-2", "O-3"]);
      expect(found.map(({ key, field, value }) => ({ key, field, value }))).toEqual([
        { key: "O-3", field: "order_id", value: "O-3" },
        { key: "O-4", field: "coupon", value: "SAVE-2" },
      ]);
    });

    it("waits for a busy connection instead of failing: a plan started while another transaction holds the pool still answers", async () => {
      // The wire-protocol variant has one connection, as the app on the embedded database: Prisma's
      // default maxWait (2 s) failed the second transaction with "Unable to start a transaction".
      const holder = db().$transaction(async (tx) => tx.$executeRaw`SELECT pg_sleep(2.5)`);
      const answered = await run({ operation: "count", filters: [{ field: "city", op: "eq", value: "Reno" }] });
      await holder;
      expect(answered.value).toBe(2);
    }, 20_000);

    it("sees a write made elsewhere on the next question, and refuses a plan made with a catalog from before it", async () => {
      const plan = (input: Omit<PlanInput, "product">) => planSchema.parse({ product: `${product.domain}/${product.name}`, ...input }) as Plan;
      const reno = plan({ operation: "count", filters: [{ field: "city", op: "eq", value: "Reno" }] });
      const before = await heldCatalog(product.id, product.schema);
      expect((await executePlan(product.id, reno, product.schema, undefined, { stamp: before.stamp })).matched).toBe(2);
      // As another server would write: straight SQL, past this process' memory (the trigger bumps the records version).
      await db().$executeRaw`UPDATE records SET data = jsonb_set(data, '{city}', '"Reno"') WHERE product_id = ${product.id}::uuid AND key = 'O-5'`;
      // The columns held in memory are used unchecked: the rows' statement finds the stamp moved and they are read again.
      expect((await executePlan(product.id, reno, product.schema)).matched).toBe(3);
      const lookup = plan({ operation: "lookup", filters: [], search: "Denver" });
      for (const execute of [executePlan, executePlanInSql]) {
        await expect(execute(product.id, reno, product.schema, undefined, { stamp: before.stamp })).rejects.toBeInstanceOf(StaleCatalog);
        await expect(execute(product.id, lookup, product.schema, undefined, { stamp: before.stamp })).rejects.toBeInstanceOf(StaleCatalog);
      }
      const current = await currentCatalog(product.id, product.schema);
      expect(current.stamp).not.toBe(before.stamp);
      expect((await heldCatalog(product.id, product.schema)).stamp).toBe(current.stamp);
      expect((await executePlan(product.id, reno, product.schema, undefined, { stamp: current.stamp })).matched).toBe(3);
    });

    it("rebuilds the value catalog after a load (last: it adds a record)", async () => {
      await loadRecords(admin.actor, product, Readable.from([Buffer.from(JSON.stringify([{ ...records[0], order_id: "O-6", status: "returned" }]))]), "application/json");
      const rebuilt = await valueCatalog(product.id, product.schema);
      expect(rebuilt.total).toBe(6);
      expect(rebuilt.fields.find((field) => field.name === "status")!.values).toContainEqual({ value: "returned", count: 1 });
      // The columns held in memory are read again for the new records version.
      expect(await run({ operation: "count", filters: [{ field: "status", op: "eq", value: "returned" }] })).toMatchObject({ matched: 1 });
    });
  });
}
