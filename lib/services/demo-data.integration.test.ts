import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase } from "@/tests/helpers/users";
import { DEMO_ACCOUNTS } from "../auth/demo";
import { db } from "../db/client";
import { DEMO_FILE, seedDemoData } from "./demo-data";

describe("seedDemoData", () => {
  let stop: () => Promise<void>;

  beforeAll(async () => {
    stop = await startTestDatabase();
  });

  afterAll(async () => {
    await stop();
  });

  it("registers the six demo products with their records", async () => {
    const demo = JSON.parse(await readFile(DEMO_FILE, "utf8")) as {
      products: { domain: string; name: string; records: unknown[] }[];
    };
    expect(await seedDemoData()).toEqual({ products: 6, records: demo.products.reduce((sum, product) => sum + product.records.length, 0) });

    const products = await db().product.findMany({
      include: { _count: { select: { records: true } } },
      orderBy: [{ domain: "asc" }, { name: "asc" }],
    });
    expect(products).toHaveLength(6);
    expect(new Set(products.map((product) => product.domain)).size).toBe(6);
    for (const product of products) {
      const source = demo.products.find((p) => p.domain === product.domain && p.name === product.name);
      expect(source, `${product.domain}/${product.name} comes from the demo file`).toBeDefined();
      expect(product._count.records).toBeGreaterThan(0);
      expect(product._count.records).toBe(source!.records.length);
      expect(product.searchText).toContain(product.name);
      expect(product.lastLoadedAt, `${product.name} has a last-loaded time`).toBeInstanceOf(Date);
      expect(product.updatedAt).toEqual(product.createdAt);
    }
    expect(await db().record.count()).toBe(demo.products.reduce((sum, p) => sum + p.records.length, 0));
  });

  it("creates the domains and the demo accounts, the owner owning customer-support and payments", async () => {
    expect((await db().domain.findMany({ orderBy: { name: "asc" } })).map((domain) => domain.name)).toEqual([
      "customer-support",
      "hr",
      "manufacturing",
      "marketing",
      "payments",
      "product-analytics",
    ]);
    const users = await db().user.findMany({ include: { ownedDomains: true }, orderBy: { email: "asc" } });
    expect(users.map((user) => [user.email, user.role, user.ownedDomains.map((owned) => owned.domain).sort()])).toEqual([
      ["admin@demo.local", "admin", []],
      ["analyst@demo.local", "member", []],
      ["owner@demo.local", "member", ["customer-support", "payments"]],
    ]);
    // Passwords are stored hashed by better-auth, never as given.
    const owner = DEMO_ACCOUNTS.find((account) => account.email === "owner@demo.local")!;
    const credential = await db().account.findFirstOrThrow({ where: { user: { email: owner.email }, providerId: "credential" } });
    expect(credential.password).toBeTruthy();
    expect(credential.password).not.toContain(owner.password);
  });

  it("records who registered each product in the audit log", async () => {
    const entries = await db().auditEntry.findMany({ orderBy: { domain: "asc" } });
    expect(entries).toHaveLength(6);
    expect(entries.every((entry) => entry.action === "product.created")).toBe(true);
    const byDomain = Object.fromEntries(entries.map((entry) => [entry.domain, entry.actorEmail]));
    expect(byDomain.payments).toBe("owner@demo.local");
    expect(byDomain.hr).toBe("admin@demo.local");
  });

  it("stores each record under its primary-key value", async () => {
    const product = await db().product.findFirstOrThrow({ where: { name: "support-tickets" } });
    const primaryKey = (product.schema as { primaryKey: string }).primaryKey;
    const records = await db().record.findMany({ where: { productId: product.id } });
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record.key).toBe(String((record.data as Record<string, unknown>)[primaryKey]));
    // Checked against the schema like any load: timestamps are stored in one UTC form.
    for (const record of records) expect((record.data as { opened_at: string }).opened_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("fails rather than duplicating when run twice", async () => {
    await expect(seedDemoData()).rejects.toMatchObject({ code: "conflict" });
    expect(await db().product.count()).toBe(6);
  });
});
