import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getOpenApi } from "@/app/api/openapi.json/route";
import { GET as getHealthRoute } from "@/app/api/products/[domain]/[name]/health/route";
import { GET as historyRoute } from "@/app/api/products/[domain]/[name]/health/history/route";
import { POST as checkRoute } from "@/app/api/products/[domain]/[name]/health/check/route";
import { POST as purgeRoute } from "@/app/api/products/[domain]/[name]/health/purge/route";
import { GET as getProductRoute } from "@/app/api/products/[domain]/[name]/route";
import { POST as queryRoute } from "@/app/api/products/[domain]/[name]/query/route";
import { POST as loadRoute } from "@/app/api/products/[domain]/[name]/records/route";
import { db } from "@/lib/db/client";
import { flushRequestLog, logRequest } from "@/lib/runtime/request-log";
import { productHealthHistory, runDueChecks, runHealthCheck } from "@/lib/services/health";
import { editProduct } from "@/lib/services/products";
import { healthSchema, historySchema, purgeResultSchema } from "@/lib/validation/health";
import { loadReportSchema } from "@/lib/validation/records";
import type { Product, ProductFormValues } from "@/lib/validation/product";
import { databaseVariants, uniqueDomain } from "@/tests/helpers/databases";
import { postProduct, registeredProduct } from "@/tests/helpers/products";
import { createTestUser, type TestUser } from "@/tests/helpers/users";

/**
 * Measured service levels through the real route handlers, with the clock
 * injected where time must pass, on each database variant.
 */

const BASE = "http://localhost";
const HOUR = 3_600_000;
const json = (user: TestUser) => ({ "content-type": "application/json", ...user.auth });
const address = (product: Product) => ({ params: Promise.resolve({ domain: product.domain, name: product.name }) });
const url = (product: Product, rest = "") => `${BASE}/api/products/${product.domain}/${product.name}${rest}`;

for (const variant of databaseVariants) {
  describe.skipIf(variant.skip)(`health API — ${variant.name}`, () => {
    let stop: () => Promise<void>;
    let owner: TestUser;
    let analyst: TestUser;
    let domain: string;

    beforeAll(async () => {
      stop = await variant.start();
      domain = uniqueDomain("health");
      owner = await createTestUser({ owns: [domain] });
      analyst = await createTestUser();
    });
    afterAll(async () => stop?.());

    let counter = 0;
    async function newProduct(sla: ProductFormValues["sla"], quality: ProductFormValues["quality"] = []): Promise<Product> {
      const input: ProductFormValues = {
        domain,
        name: `events-${++counter}`,
        title: "Events",
        owner: "events@example.com",
        status: "active",
        schema: {
          primaryKey: "id",
          fields: [
            { name: "id", type: "string", required: true },
            { name: "at", type: "timestamp" },
            { name: "label", type: "string" },
          ],
        },
        sla,
        quality,
      };
      return registeredProduct(owner, input);
    }

    async function load(product: Product, rows: object[]) {
      const response = await loadRoute(
        new Request(url(product, "/records"), { method: "POST", headers: json(owner), body: JSON.stringify(rows) }),
        address(product),
      );
      expect(response.status, await response.clone().text()).toBe(200);
    }

    async function health(product: Product) {
      const response = await getHealthRoute(new Request(url(product, "/health"), { headers: analyst.auth }), address(product));
      expect(response.status).toBe(200);
      return healthSchema.strict().parse(await response.json());
    }

    const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

    it("is breached when the newest event is older than freshnessHours, and healthy again after a fresh load", async () => {
      const product = await newProduct({ freshnessHours: 1, eventTimeField: "at" });
      await load(product, [
        { id: "a", at: hoursAgo(3) },
        { id: "b", at: hoursAgo(5) },
      ]);
      const stale = await health(product);
      expect(stale.status).toBe("breached");
      expect(stale.sla.freshness).toMatchObject({ status: "breached", targetHours: 1, basis: "event_time" });
      expect(stale.sla.freshness.measuredHours).toBeGreaterThanOrEqual(3);
      expect(stale.sla.freshness.measuredHours).toBeLessThan(3.1);

      await load(product, [{ id: "c", at: new Date().toISOString() }]);
      const fresh = await health(product);
      expect(fresh.status).toBe("healthy");
      expect(fresh.sla.freshness.status).toBe("met");
      expect(fresh.sla.freshness.measuredHours).toBeLessThan(0.1);
      expect(Date.parse(fresh.sla.freshness.since!)).toBeGreaterThan(Date.parse(stale.sla.freshness.since!));
    });

    it("measures freshness on the last load without an event-time field, and update frequency between loads", async () => {
      const product = await newProduct({ freshnessHours: 2, updateFrequency: "Every 15 Minutes" });
      expect(product.sla.updateFrequency).toBe("every 15 minutes");
      await load(product, [{ id: "a" }]);
      const stored = (await getProductRoute(new Request(url(product), { headers: analyst.auth }), address(product)).then((r) => r.json())) as Product;

      const soon = await runHealthCheck(stored, "manual", { now: new Date(Date.now() + 10 * 60_000) });
      expect(soon.sla.freshness).toMatchObject({ status: "met", basis: "last_load" });
      expect(soon.sla.updateFrequency).toMatchObject({ status: "met", targetHours: 0.25, target: "every 15 minutes" });

      const late = await runHealthCheck(stored, "manual", { now: new Date(Date.now() + 3 * HOUR) });
      expect(late.status).toBe("breached");
      expect(late.sla.freshness.status).toBe("breached");
      expect(late.sla.updateFrequency.status).toBe("breached");
      expect(late.sla.updateFrequency.measuredHours).toBeGreaterThanOrEqual(3);
    });

    it("checks again when the owner changes the SLA or the rules: health shows the new targets without Check now", async () => {
      const product = await newProduct({ freshnessHours: 24, updateFrequency: "hourly" });
      await load(product, [{ id: "a", at: hoursAgo(3), label: "x" }]);
      expect((await health(product)).sla.freshness).toMatchObject({ status: "met", targetHours: 24, basis: "last_load" });

      await editProduct(owner.actor, product, { sla: { freshnessHours: 1, updateFrequency: "every 15 minutes", eventTimeField: "at" } });
      const declared = await health(product);
      expect(declared.sla.freshness).toMatchObject({ status: "breached", targetHours: 1, basis: "event_time" });
      expect(declared.sla.updateFrequency).toMatchObject({ target: "every 15 minutes" });
      expect(declared.status).toBe("breached");

      await editProduct(owner.actor, product, { quality: [{ id: "label-unique", metric: "duplicateValues", property: "label", unit: "rows", severity: "warning", rejectLoad: false }] });
      expect((await health(product)).quality).toMatchObject([{ rule: "label-unique", status: "passed" }]);
    });

    it("measures availability and p95 latency from the portal's own request log", async () => {
      const product = await newProduct({ availabilityPercent: 99, latencyMsP95: 200 });
      // A real read through a measured route lands in the log.
      expect((await getProductRoute(new Request(url(product), { headers: analyst.auth }), address(product))).status).toBe(200);
      // The caller's mistakes are not the product's: a refused query is neither served nor failed.
      const refused = await queryRoute(new Request(url(product, "/query"), { method: "POST", headers: json(analyst), body: JSON.stringify({ query: "x" }) }), address(product));
      expect(refused.status).toBe(422);
      await flushRequestLog();
      const first = await health(product);
      expect(first.sla.availability).toMatchObject({ status: "met", measuredPercent: 100, requests: 1, windowHours: 24 });
      expect(first.sla.latency).toMatchObject({ status: "unknown", queries: 0, measuredMsP95: null });

      const at = new Date();
      for (let i = 0; i < 90; i++) logRequest({ domain, name: product.name, kind: "query", ok: true, durationMs: 50, at });
      for (let i = 0; i < 10; i++) logRequest({ domain, name: product.name, kind: "query", ok: true, durationMs: 900, at });
      for (let i = 0; i < 4; i++) logRequest({ domain, name: product.name, kind: "read", ok: false, durationMs: 5, at });
      // Outside the 24-hour window: not counted.
      logRequest({ domain, name: product.name, kind: "read", ok: false, durationMs: 5, at: new Date(Date.now() - 30 * HOUR) });
      await flushRequestLog();

      const checked = await checkRoute(new Request(url(product, "/health/check"), { method: "POST", headers: owner.auth }), address(product));
      expect(checked.status).toBe(200);
      const measured = healthSchema.parse(await checked.json());
      expect(measured.sla.availability).toMatchObject({ status: "breached", requests: 105, measuredPercent: 96.19 });
      expect(measured.sla.latency.queries).toBe(100);
      expect(measured.sla.latency.measuredMsP95).toBe(900);
      expect(measured.sla.latency.status).toBe("breached");
      expect(measured.status).toBe("breached");
    });

    it("flags records past retention, purges them after a dry run, audited; only owners may purge or check", async () => {
      const product = await newProduct({ retentionDays: 30, eventTimeField: "at" });
      await load(product, [
        { id: "old-1", at: hoursAgo(24 * 40) },
        { id: "old-2", at: hoursAgo(24 * 31) },
        { id: "new", at: hoursAgo(1) },
        { id: "no-time" },
      ]);
      const flagged = await health(product);
      expect(flagged.sla.retention).toMatchObject({ status: "breached", expiredRecords: 2, targetDays: 30 });
      expect(flagged.status).toBe("degraded");

      const purge = (user: TestUser, body: object) =>
        purgeRoute(new Request(url(product, "/health/purge"), { method: "POST", headers: json(user), body: JSON.stringify(body) }), address(product));
      expect((await purge(analyst, {})).status).toBe(403);
      expect((await checkRoute(new Request(url(product, "/health/check"), { method: "POST", headers: analyst.auth }), address(product))).status).toBe(403);
      expect((await purge(owner, { dryRun: "yes" })).status).toBe(422);

      const dry = purgeResultSchema.parse(await (await purge(owner, {})).json());
      expect(dry).toMatchObject({ dryRun: true, expired: 2, removed: 0, sample: ["old-1", "old-2"] });
      expect(await db().record.count({ where: { productId: product.id } })).toBe(4);

      const done = purgeResultSchema.parse(await (await purge(owner, { dryRun: false })).json());
      expect(done).toMatchObject({ dryRun: false, expired: 2, removed: 2 });
      expect((await db().record.findMany({ where: { productId: product.id }, orderBy: { key: "asc" } })).map((r) => r.key)).toEqual(["new", "no-time"]);
      const audit = await db().auditEntry.findFirst({ where: { domain, name: product.name, action: "records.purged" } });
      expect(audit?.actorEmail).toBe(owner.actor.email);
      expect((await health(product)).sla.retention).toMatchObject({ status: "met", expiredRecords: 0 });
    });

    it("refuses an event-time field that is not a date or timestamp field of the schema", async () => {
      const response = await postProduct(owner, {
        domain,
        name: "bad-event-time",
        title: "Bad",
        owner: "x@example.com",
        schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }] },
        sla: { eventTimeField: "id" },
      });
      expect(response.status).toBe(422);
      expect((await response.json()).fieldErrors).toEqual({ "sla.eventTimeField": [expect.stringMatching(/date or timestamp/)] });
    });

    it("flags a sudden drop in volume against the previous loads", async () => {
      const product = await newProduct({});
      const rows = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}` }));
      for (const prefix of ["a", "b", "c", "e"]) await load(product, rows(20, prefix));
      expect((await health(product)).sla.volume).toMatchObject({ status: "met", lastLoad: 20, usual: 20, expectedMin: 10 });
      await load(product, rows(3, "d"));
      const dropped = await health(product);
      expect(dropped.sla.volume).toMatchObject({ status: "breached", lastLoad: 3 });
      expect(dropped.status).toBe("degraded");
    });

    it("evaluates the quality rules on every load, with the failing record keys", async () => {
      const product = await newProduct({}, [
        { id: "label-present", metric: "nullValues", property: "label" },
        { id: "label-unique", metric: "duplicateValues", property: "label" },
        { id: "label-allowed", metric: "invalidValues", property: "label", arguments: { validValues: ["red", "green", "blue"] } },
        { id: "label-shape", metric: "invalidValues", property: "label", arguments: { pattern: "^[a-z]+$" } },
        { id: "recent", metric: "invalidValues", property: "at", arguments: { minimum: "2020-01-01T00:00:00Z" } },
        { id: "enough", metric: "rowCount", mustBeGreaterOrEqualTo: 5, severity: "error" },
        { id: "fresh", metric: "freshness", property: "at", mustBeLessOrEqualTo: 24 },
      ]);
      await load(product, [
        { id: "a", label: "red", at: hoursAgo(1) },
        { id: "b", label: "red", at: hoursAgo(2) },
        { id: "c", label: "Pink", at: "2019-06-01T00:00:00Z" },
        { id: "d" },
      ]);
      const checked = await health(product);
      const byRule = Object.fromEntries(checked.quality.map((result) => [result.rule, result]));
      expect(byRule["label-present"]).toMatchObject({ status: "failed", failing: 1, failingKeys: ["d"], severity: "warning" });
      expect(byRule["label-unique"]).toMatchObject({ status: "failed", failing: 2, failingKeys: ["a", "b"] });
      expect(byRule["label-allowed"]).toMatchObject({ status: "failed", failing: 1, failingKeys: ["c"] });
      expect(byRule["label-shape"]).toMatchObject({ status: "failed", failingKeys: ["c"] });
      expect(byRule.recent).toMatchObject({ status: "failed", failingKeys: ["c"] });
      expect(byRule.enough).toMatchObject({ status: "failed", value: 4, expected: "≥ 5 rows", severity: "error" });
      expect(byRule.fresh).toMatchObject({ status: "passed" });
      expect(checked.status).toBe("breached");

      await load(product, [{ id: "e", label: "blue", at: hoursAgo(1) }]);
      const after = await health(product);
      expect(after.quality.find((result) => result.rule === "enough")).toMatchObject({ status: "passed", value: 5 });
      expect(after.status).toBe("degraded");
    });

    it("counts the rules together; a rule Postgres cannot run is unknown and the others are still measured", async () => {
      const product = await newProduct({}, [
        { id: "label-present", metric: "nullValues", property: "label" },
        // Valid in JavaScript, refused by Postgres' regular expressions.
        { id: "named-group", metric: "invalidValues", property: "label", arguments: { pattern: "(?<word>[a-z]+)" } },
        { id: "key-unique", metric: "duplicateValues", property: "id" },
        { id: "label-unique", metric: "duplicateValues", property: "label" },
        { id: "enough", metric: "rowCount", mustBeGreaterOrEqualTo: 3 },
      ]);
      await load(product, [{ id: "a", label: "red" }, { id: "b", label: "red" }, { id: "c" }]);
      const byRule = Object.fromEntries((await health(product)).quality.map((result) => [result.rule, result]));
      expect(byRule["named-group"]).toMatchObject({ status: "unknown", value: null, failing: 0, failingKeys: [] });
      expect(byRule["label-present"]).toMatchObject({ status: "failed", failing: 1, failingKeys: ["c"] });
      expect(byRule["key-unique"]).toMatchObject({ status: "passed", failing: 0, value: 0 });
      expect(byRule["label-unique"]).toMatchObject({ status: "failed", failing: 2, failingKeys: ["a", "b"] });
      expect(byRule.enough).toMatchObject({ status: "passed", value: 3 });
    });

    it("measures a freshness rule on the event-time field from the records' event time, as on another field from the records", async () => {
      const rules: ProductFormValues["quality"] = [{ id: "fresh", metric: "freshness", property: "at", mustBeLessOrEqualTo: 2 }];
      for (const sla of [{ eventTimeField: "at" }, {}]) {
        const product = await newProduct(sla, rules);
        await load(product, [{ id: "a", at: hoursAgo(3) }, { id: "b", at: hoursAgo(5) }, { id: "c" }]);
        const [fresh] = (await runHealthCheck(product, "manual")).quality;
        expect(fresh, JSON.stringify(sla)).toMatchObject({ status: "failed" });
        expect(fresh!.value).toBeGreaterThanOrEqual(3);
        expect(fresh!.value).toBeLessThan(3.1);
      }
    });

    it("reuses what the previous check counted while no record changed, and counts again after any write or rule change", async () => {
      const product = await newProduct({}, [
        { id: "label-unique", metric: "duplicateValues", property: "label" },
        { id: "label-present", metric: "nullValues", property: "label" },
      ]);
      await load(product, [{ id: "a", label: "red" }, { id: "b", label: "red" }, { id: "c" }]);
      const version = async () => (await db().product.findUniqueOrThrow({ where: { id: product.id } })).recordsVersion;
      // What a recount would not find: a check that reports it has not read the records again.
      const tamper = () => db().$executeRaw`
        UPDATE product_health SET quality_measured = jsonb_set(quality_measured, '{measurements,0,failing}', '99')
        WHERE product_id = ${product.id}::uuid`;
      const unique = async (checked: Product) => (await runHealthCheck(checked, "manual")).quality[0]!;
      expect(await unique(product)).toMatchObject({ status: "failed", failing: 2, failingKeys: ["a", "b"] });

      await tamper();
      expect((await unique(product)).failing).toBe(99);
      // Loading the same rows again writes nothing: still nothing to count.
      const before = await version();
      await load(product, [{ id: "a", label: "red" }]);
      expect(await version()).toBe(before);
      expect((await unique(product)).failing).toBe(99);

      await load(product, [{ id: "b", label: "blue" }]);
      expect(await version()).toBeGreaterThan(before);
      expect(await unique(product)).toMatchObject({ status: "passed", failing: 0, failingKeys: [] });

      // Any path that writes records counts, not only loads.
      await db().$executeRaw`UPDATE records SET data = data || '{"label": "red"}' WHERE product_id = ${product.id}::uuid AND key = 'b'`;
      expect(await unique(product)).toMatchObject({ failing: 2, failingKeys: ["a", "b"] });
      await tamper();
      await db().$executeRaw`DELETE FROM records WHERE product_id = ${product.id}::uuid AND key = 'b'`;
      expect(await unique(product)).toMatchObject({ status: "passed", failing: 0 });

      await tamper();
      const edited = await editProduct(owner.actor, product, { quality: [{ id: "label-unique", metric: "duplicateValues", property: "label", unit: "percent", severity: "warning", rejectLoad: false }] });
      expect(await unique(edited)).toMatchObject({ status: "passed", failing: 0, value: 0 });
    });

    it("after a check, counts only the records changed since, as they were and as they are, and finds what counting every record finds", async () => {
      const now = new Date();
      const product = await newProduct({}, [
        { id: "label-present", metric: "nullValues", property: "label" },
        { id: "few-missing", metric: "nullValues", property: "label", unit: "percent", mustBeLessThan: 50 },
        { id: "label-allowed", metric: "invalidValues", property: "label", arguments: { validValues: ["red", "blue"] } },
        { id: "label-shape", metric: "invalidValues", property: "label", arguments: { pattern: "^[a-z]+$" } },
        // Fails for more records than the keys kept: the list is cut short, and read again when a change leaves a gap in it.
        { id: "recent", metric: "invalidValues", property: "at", arguments: { minimum: hoursAgo(40.5) } },
        { id: "key-unique", metric: "duplicateValues", property: "id" },
        { id: "label-unique", metric: "duplicateValues", property: "label" },
        { id: "enough", metric: "rowCount", mustBeGreaterOrEqualTo: 150 },
        { id: "fresh", metric: "freshness", property: "at", mustBeLessOrEqualTo: 2 },
      ]);
      const key = (index: number) => `k${String(index).padStart(3, "0")}`;
      await load(
        product,
        Array.from({ length: 150 }, (_, index) => ({ id: key(index), at: hoursAgo(index + 1), ...(index % 3 ? { label: index % 2 ? "red" : "blue" } : {}) })),
      );
      const check = async () => (await runHealthCheck(product, "manual", { now })).quality;
      const countEveryRecord = async () => {
        await db().$executeRaw`UPDATE product_health SET quality_measured = NULL WHERE product_id = ${product.id}::uuid`;
        return check();
      };
      const logged = () => db().recordChange.count({ where: { productId: product.id } });
      // A write outside a load is logged until the next check (a load checks at once).
      const sql = (statement: Promise<number>) => async () => {
        await statement;
        expect(await logged()).toBeGreaterThan(0);
      };
      const first = await check();
      expect(first.find((result) => result.rule === "recent")).toMatchObject({ status: "failed", failing: 110 });
      expect(first.find((result) => result.rule === "recent")!.failingKeys).toEqual(Array.from({ length: 100 }, (_, index) => key(index + 40)));
      expect(await logged()).toBe(0);

      const changes: [string, () => Promise<void>][] = [
        ["a load adding and changing records", () => load(product, [{ id: key(0), label: "red", at: hoursAgo(0.5) }, { id: "a-new", at: hoursAgo(90) }, { id: "z-new", label: "Green!" }])],
        ["an update outside a load", sql(db().$executeRaw`UPDATE records SET data = data - 'label' WHERE product_id = ${product.id}::uuid AND key IN ('k001', 'k002')`)],
        ["records that no longer fail, leaving a gap in the keys kept", () => load(product, [{ id: key(50), at: hoursAgo(1) }, { id: key(60), at: hoursAgo(1) }])],
        ["the record holding the newest value removed", sql(db().$executeRaw`DELETE FROM records WHERE product_id = ${product.id}::uuid AND key = 'k000'`)],
        ["a removed key loaded again, and a record changed twice", async () => {
          await load(product, [{ id: key(0), label: "blue", at: hoursAgo(3) }, { id: key(4), label: "red" }]);
          await load(product, [{ id: key(4), label: "Red" }]);
        }],
        ["many records removed at once", sql(db().$executeRaw`DELETE FROM records WHERE product_id = ${product.id}::uuid AND key BETWEEN 'k100' AND 'k129'`)],
      ];
      for (const [change, make] of changes) {
        await make();
        const counted = await check();
        expect(await logged(), change).toBe(0);
        expect(counted, change).toEqual(await countEveryRecord());
      }

      // Only the changes are counted: what the previous check stored is moved by them, not found again.
      await db().$executeRaw`
        UPDATE product_health SET quality_measured = jsonb_set(quality_measured, '{measurements,0,failing}', '1000')
        WHERE product_id = ${product.id}::uuid`;
      await load(product, [{ id: key(3), label: "red" }]);
      const [present] = await check();
      expect(present!.failing).toBe(1000 - 1);
    });

    it("measures records loaded before the event-time field was named, and forgets it when it is taken away", async () => {
      const product = await newProduct({ retentionDays: 30 });
      await load(product, [
        { id: "old", at: hoursAgo(24 * 40) },
        { id: "recent", at: hoursAgo(5) },
        { id: "no-time" },
      ]);
      expect((await health(product)).sla).toMatchObject({ freshness: { basis: "last_load" }, retention: { status: "unknown" } });

      const timed = await editProduct(owner.actor, product, { sla: { retentionDays: 30, eventTimeField: "at" } });
      const measured = await runHealthCheck(timed, "manual");
      expect(measured.sla.freshness).toMatchObject({ basis: "event_time" });
      expect(measured.sla.freshness.measuredHours).toBeGreaterThanOrEqual(5);
      expect(measured.sla.retention).toMatchObject({ status: "breached", expiredRecords: 1 });

      const untimed = await editProduct(owner.actor, product, { sla: { retentionDays: 30 } });
      expect((await runHealthCheck(untimed, "manual")).sla).toMatchObject({ freshness: { basis: "last_load" }, retention: { status: "unknown", expiredRecords: null } });
      expect(await db().record.count({ where: { productId: product.id, eventAt: { not: null } } })).toBe(0);
    });

    it("rejects a load after which an error rule with rejectLoad fails, naming the rows and storing nothing", async () => {
      const product = await newProduct({}, [
        { id: "label-present", metric: "nullValues", property: "label", severity: "error", rejectLoad: true },
        { id: "label-unique", metric: "duplicateValues", property: "label", severity: "error", rejectLoad: true },
      ]);
      await load(product, [{ id: "a", label: "one" }]);
      const response = await loadRoute(
        new Request(url(product, "/records"), {
          method: "POST",
          headers: json(owner),
          body: JSON.stringify([{ id: "b", label: "two" }, { id: "c" }, { id: "d", label: "one" }, { id: "e", label: 5 }]),
        }),
        address(product),
      );
      expect(response.status).toBe(200);
      const report = loadReportSchema.strict().parse(await response.json());
      expect(report.accepted).toBe(0);
      expect(report.refusedBy?.map((rule) => rule.rule)).toEqual(["label-present", "label-unique"]);
      expect(report.rejected).toEqual([
        { index: 1, key: "c", errors: [{ field: "label", message: "quality rule label-present (error): label has no value" }] },
        { index: 2, key: "d", errors: [{ field: "label", message: "quality rule label-unique (error): label shares its value with another record" }] },
        { index: 3, key: "e", errors: [{ field: "label", message: expect.stringMatching(/expected text/) }] },
      ]);
      expect(report.rejectedTotal).toBe(3);
      expect((await db().record.findMany({ where: { productId: product.id } })).map((record) => record.key)).toEqual(["a"]);
      const loads = await db().recordLoad.findMany({ where: { productId: product.id }, orderBy: { at: "asc" } });
      expect(loads.map((entry) => entry.outcome)).toEqual(["loaded", "rejected"]);
    });

    it("refuses rules that do not fit the schema, naming the rule's field", async () => {
      const response = await postProduct(owner, {
        domain,
        name: "bad-rules",
        title: "Bad",
        owner: "x@example.com",
        schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }] },
        quality: [{ id: "gone", metric: "nullValues", property: "missing" }],
      });
      expect(response.status).toBe(422);
      expect((await response.json()).fieldErrors).toEqual({ "quality.0.property": ["missing is not a field of the schema"] });
    });

    it("returns compliance per day and per load over GET …/health/history", async () => {
      const product = await newProduct({ freshnessHours: 2, latencyMsP95: 100 }, [{ id: "enough", metric: "rowCount", mustBeGreaterOrEqualTo: 2 }]);
      await load(product, [{ id: "a" }]);
      await load(product, [{ id: "b" }]);
      // One record changed, one as it was, one new.
      await load(product, [{ id: "a", label: "red" }, { id: "b" }, { id: "c" }]);
      const stored = (await getProductRoute(new Request(url(product), { headers: analyst.auth }), address(product)).then((r) => r.json())) as Product;
      const yesterday = new Date(Date.now() - 24 * HOUR);
      logRequest({ domain, name: product.name, kind: "query", ok: true, durationMs: 250, at: yesterday });
      logRequest({ domain, name: product.name, kind: "query", ok: true, durationMs: 40, at: new Date() });
      await flushRequestLog();
      // A check a day later finds the data 24 hours old.
      const tomorrow = new Date(Date.now() + 24 * HOUR);
      await runHealthCheck(stored, "schedule", { now: tomorrow });

      const history = async (query: string) =>
        historyRoute(new Request(url(product, `/health/history${query}`), { headers: analyst.auth }), address(product));
      expect((await history("?days=0")).status).toBe(422);
      expect((await history("?days=abc")).status).toBe(422);
      const response = await history("?days=3");
      expect(response.status).toBe(200);
      const body = historySchema.strict().parse(await response.json());
      expect(body.days).toHaveLength(3);
      const today = body.days.at(-1)!;
      expect(today).toMatchObject({ date: new Date().toISOString().slice(0, 10), status: "degraded", freshnessTargetHours: 2, latencyMsP95: 40, latencyTargetMs: 100 });
      expect(body.days.at(-2)).toMatchObject({ latencyMsP95: 250, checks: 0 });
      expect(body.loads.map(({ rows, added, changed, outcome, qualityPassRate }) => ({ rows, added, changed, outcome, qualityPassRate }))).toEqual([
        { rows: 1, added: 1, changed: 0, outcome: "loaded", qualityPassRate: 0 },
        { rows: 1, added: 1, changed: 0, outcome: "loaded", qualityPassRate: 100 },
        { rows: 3, added: 1, changed: 1, outcome: "loaded", qualityPassRate: 100 },
      ]);
      // The check "tomorrow" is outside a window that ends now.
      expect(body.days.every((day) => (day.freshnessHours ?? 0) < 1)).toBe(true);
      const later = await productHealthHistory(analyst.actor, product, { days: 2 }, { now: new Date(tomorrow.getTime() + 60_000) });
      expect(later.days.at(-1)).toMatchObject({ status: "breached", freshnessHours: 24 });
    });

    it("checks each due product once when two servers run a scheduled round at the same time", async () => {
      const a = await newProduct({ freshnessHours: 5 });
      const b = await newProduct({ freshnessHours: 5 });
      const now = new Date(Date.now() + 48 * HOUR);
      const runs = () => db().healthRun.count({ where: { productId: { in: [a.id, b.id] }, trigger: "schedule", checkedAt: now } });
      const [first, second] = await Promise.all([runDueChecks({ now }), runDueChecks({ now })]);
      expect(first + second).toBeGreaterThanOrEqual(2);
      expect(await runs()).toBe(2);
      // Not due again until the interval has passed.
      await runDueChecks({ now });
      expect(await runs()).toBe(2);
    });
  });
}

describe("health in OpenAPI", () => {
  it("documents the health paths, their shapes and the catalog's health filter", async () => {
    const document = await getOpenApi().json();
    const health = document.paths["/api/products/{domain}/{name}/health"];
    expect(health.get.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Health" });
    expect(document.paths["/api/products/{domain}/{name}/health/check"].post.responses).toHaveProperty("403");
    expect(document.paths["/api/products/{domain}/{name}/health/history"].get.parameters[0]).toMatchObject({ name: "days", schema: { maximum: 90 } });
    expect(Object.keys(document.components.schemas.HealthHistory.properties)).toEqual(["from", "to", "days", "loads"]);
    expect(document.paths["/api/products/{domain}/{name}/health/purge"].post.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/PurgeInput",
    });
    const schema = document.components.schemas.Health;
    expect(schema.required).toEqual(["status", "checkedAt", "sla", "quality"]);
    expect(Object.keys(schema.properties.sla.properties)).toEqual(["freshness", "updateFrequency", "availability", "latency", "retention", "volume"]);
    expect(schema.properties.sla.properties.freshness.required).toEqual(expect.arrayContaining(["status", "measuredHours", "targetHours"]));
    expect(document.paths["/api/products"].get.parameters.map((p: { name: string }) => p.name)).toContain("health");
    expect(document.components.schemas.Product.properties.health.enum).toEqual(["healthy", "degraded", "breached", "unknown"]);
  });
});
