import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteWebhookRoute } from "@/app/api/domains/[domain]/webhooks/[id]/route";
import { POST as approveRoute } from "@/app/api/products/[domain]/[name]/access-requests/[id]/approve/route";
import { POST as denyRoute } from "@/app/api/products/[domain]/[name]/access-requests/[id]/deny/route";
import { POST as requestRoute } from "@/app/api/products/[domain]/[name]/access-requests/route";
import { GET as deliveriesRoute } from "@/app/api/domains/[domain]/webhooks/[id]/deliveries/route";
import { POST as testRoute } from "@/app/api/domains/[domain]/webhooks/[id]/test/route";
import { GET as listWebhooksRoute, POST as createWebhookRoute } from "@/app/api/domains/[domain]/webhooks/route";
import { POST as markReadRoute } from "@/app/api/notifications/read/route";
import { GET as notificationsRoute } from "@/app/api/notifications/route";
import { GET as openApiRoute } from "@/app/api/openapi.json/route";
import { POST as loadRoute } from "@/app/api/products/[domain]/[name]/records/route";
import { PATCH as patchProduct } from "@/app/api/products/[domain]/[name]/route";
import { DELETE as unfollowRoute, GET as followingRoute, PUT as followRoute } from "@/app/api/products/[domain]/[name]/subscription/route";
import { GET as subscriptionsRoute } from "@/app/api/subscriptions/route";
import { resetEnvCache } from "@/lib/env";
import { MAX_ATTEMPTS, verifySignature, type WebhookPayload } from "@/lib/mesh/webhooks";
import { deliverDueWebhooks } from "@/lib/services/webhooks";
import {
  deliveryListSchema,
  deliverySchema,
  markReadResultSchema,
  notificationListSchema,
  subscriptionListSchema,
  webhookCreatedSchema,
  webhookListSchema,
} from "@/lib/validation/notifications";
import type { Product, ProductFormValues } from "@/lib/validation/product";
import { databaseVariants, uniqueDomain } from "@/tests/helpers/databases";
import { registeredProduct } from "@/tests/helpers/products";
import { createTestUser, type TestUser } from "@/tests/helpers/users";

/**
 * Subscriptions, notifications and webhooks through the real route handlers,
 * with a webhook receiver on 127.0.0.1 (allowed by WEBHOOK_ALLOWED_HOSTS),
 * on each database variant.
 */

const BASE = "http://localhost";
const HOUR = 3_600_000;

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A webhook receiver: records every request; paths starting with /fail answer 500. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.statusCode = request.url?.startsWith("/fail") ? 500 : 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function until<T>(read: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const variant of databaseVariants) {
  describe.skipIf(variant.skip)(`subscriptions, notifications and webhooks — ${variant.name}`, () => {
    let stop: () => Promise<void>;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let owner: TestUser;
    let analyst: TestUser;
    let domain: string;
    const saved = process.env.WEBHOOK_ALLOWED_HOSTS;

    beforeAll(async () => {
      process.env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
      resetEnvCache();
      receiver = await startReceiver();
      stop = await variant.start();
      domain = uniqueDomain("notify");
      owner = await createTestUser({ owns: [domain] });
      analyst = await createTestUser();
    });
    afterAll(async () => {
      await stop?.();
      receiver?.server.close();
      if (saved === undefined) delete process.env.WEBHOOK_ALLOWED_HOSTS;
      else process.env.WEBHOOK_ALLOWED_HOSTS = saved;
      resetEnvCache();
    });

    const json = (user: TestUser) => ({ "content-type": "application/json", ...user.auth });
    const at = (product: Product) => ({ params: Promise.resolve({ domain: product.domain, name: product.name }) });
    const productUrl = (product: Product, rest = "") => `${BASE}/api/products/${product.domain}/${product.name}${rest}`;
    const hooks = (name = domain) => ({ params: Promise.resolve({ domain: name }) });
    const hook = (id: string, name = domain) => ({ params: Promise.resolve({ domain: name, id }) });
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

    let counter = 0;
    async function newProduct(sla: ProductFormValues["sla"], more: Partial<ProductFormValues> = {}): Promise<Product> {
      const input: ProductFormValues = {
        domain,
        name: `feed-${++counter}`,
        title: `Feed ${counter}`,
        owner: "feed@example.com",
        status: "active",
        schema: {
          primaryKey: "id",
          fields: [
            { name: "id", type: "string", required: true },
            { name: "at", type: "timestamp" },
          ],
        },
        sla,
        ...more,
      };
      return registeredProduct(owner, input);
    }

    async function load(product: Product, rows: object[]) {
      const response = await loadRoute(new Request(productUrl(product, "/records"), { method: "POST", headers: json(owner), body: JSON.stringify(rows) }), at(product));
      expect(response.status, await response.clone().text()).toBe(200);
    }

    async function createWebhook(path: string) {
      const response = await createWebhookRoute(
        new Request(`${BASE}/api/domains/${domain}/webhooks`, { method: "POST", headers: json(owner), body: JSON.stringify({ url: `${receiver.url}${path}` }) }),
        hooks(),
      );
      expect(response.status, await response.clone().text()).toBe(201);
      return webhookCreatedSchema.strict().parse(await response.json());
    }

    async function follow(user: TestUser, product: Product) {
      const response = await followRoute(new Request(productUrl(product, "/subscription"), { method: "PUT", headers: user.auth }), at(product));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ following: true });
    }

    async function notificationsOf(user: TestUser, query = "") {
      const response = await notificationsRoute(new Request(`${BASE}/api/notifications${query}`, { headers: user.auth }), undefined);
      expect(response.status).toBe(200);
      return notificationListSchema.strict().parse(await response.json());
    }

    async function markRead(user: TestUser, body: object) {
      const response = await markReadRoute(new Request(`${BASE}/api/notifications/read`, { method: "POST", headers: json(user), body: JSON.stringify(body) }), undefined);
      expect(response.status, await response.clone().text()).toBe(200);
      return markReadResultSchema.strict().parse(await response.json());
    }

    const deliveriesTo = (path: string) => receiver.received.filter((request) => request.path === path);

    it("tells a follower and a domain webhook on 127.0.0.1 when freshness is breached and when it recovers, signed", async () => {
      const webhook = await createWebhook("/events");
      const product = await newProduct({ freshnessHours: 1, eventTimeField: "at" });
      await follow(analyst, product);
      const listed = subscriptionListSchema.strict().parse(await (await subscriptionsRoute(new Request(`${BASE}/api/subscriptions`, { headers: analyst.auth }), undefined)).json());
      expect(listed.subscriptions.map((item) => item.name)).toContain(product.name);

      await load(product, [{ id: "a", at: hoursAgo(3) }]);
      const breached = await until(() => (deliveriesTo("/events").length >= 1 ? deliveriesTo("/events")[0] : undefined), "the breach event");
      expect(verifySignature(webhook.secret, breached.body, String(breached.headers["x-mesh-signature"]))).toBe(true);
      expect(verifySignature("another secret", breached.body, String(breached.headers["x-mesh-signature"]))).toBe(false);
      const breach = JSON.parse(breached.body) as WebhookPayload;
      expect(breached.headers["x-mesh-event"]).toBe("sla.breached");
      expect(breach).toMatchObject({ type: "sla.breached", product: { domain, name: product.name }, details: { check: "freshness", status: "breached", targetHours: 1 } });
      expect(breach.details.measuredHours).toBeGreaterThanOrEqual(3);
      expect(breach.summary).toMatch(/^Freshness breached: 3(\.\d+)? h \(target ≤ 1 h\)$/);

      await load(product, [{ id: "b", at: new Date().toISOString() }]);
      const recovered = await until(() => deliveriesTo("/events")[1], "the recovery event");
      expect(verifySignature(webhook.secret, recovered.body, String(recovered.headers["x-mesh-signature"]))).toBe(true);
      expect(JSON.parse(recovered.body)).toMatchObject({ type: "sla.recovered", details: { check: "freshness", status: "met" } });

      const inbox = await notificationsOf(analyst);
      expect(inbox.unread).toBe(2);
      expect(inbox.notifications.map((item) => item.type)).toEqual(["sla.recovered", "sla.breached"]);
      expect(inbox.notifications[1]).toMatchObject({ readAt: null, product: { domain, name: product.name, title: product.title }, details: { check: "freshness" } });
      // The owner follows nothing: no notification.
      expect((await notificationsOf(owner)).unread).toBe(0);

      expect(await markRead(analyst, { ids: [inbox.notifications[1]!.id] })).toEqual({ marked: 1, unread: 1 });
      expect((await notificationsOf(analyst, "?unread=true")).notifications.map((item) => item.type)).toEqual(["sla.recovered"]);
      expect(await markRead(analyst, { all: true })).toEqual({ marked: 1, unread: 0 });
      // Another user's notification ids mark nothing of theirs.
      expect(await markRead(owner, { ids: [inbox.notifications[0]!.id] })).toEqual({ marked: 0, unread: 0 });

      // Every delivery is logged: delivered on the first attempt, with the receiver's status.
      const log = await until(async () => {
        const response = await deliveriesRoute(new Request(`${BASE}/api/domains/${domain}/webhooks/${webhook.id}/deliveries`, { headers: owner.auth }), hook(webhook.id));
        const list = deliveryListSchema.strict().parse(await response.json());
        return list.deliveries.every((delivery) => delivery.status === "delivered") ? list : undefined;
      }, "deliveries to be logged");
      expect(log.deliveries.map((delivery) => [delivery.type, delivery.status, delivery.attempts, delivery.lastStatusCode])).toEqual([
        ["sla.recovered", "delivered", 1, 200],
        ["sla.breached", "delivered", 1, 200],
      ]);

      const unfollowed = await unfollowRoute(new Request(productUrl(product, "/subscription"), { method: "DELETE", headers: analyst.auth }), at(product));
      expect(await unfollowed.json()).toEqual({ following: false });
      expect(await (await followingRoute(new Request(productUrl(product, "/subscription"), { headers: analyst.auth }), at(product))).json()).toEqual({ following: false });
      expect((await deleteWebhookRoute(new Request(`${BASE}/api/domains/${domain}/webhooks/${webhook.id}`, { method: "DELETE", headers: owner.auth }), hook(webhook.id))).status).toBe(204);
    });

    it("notifies followers of a schema change (breaking or not) and of a deprecation", async () => {
      const product = await newProduct({});
      await follow(analyst, product);
      const patch = async (body: object) => {
        const response = await patchProduct(new Request(productUrl(product), { method: "PATCH", headers: json(owner), body: JSON.stringify(body) }), at(product));
        expect(response.status, await response.clone().text()).toBe(200);
      };
      await patch({ schema: { ...product.schema, fields: [...product.schema.fields, { name: "note", type: "string" }] } });
      await patch({ schema: product.schema, version: "2.0.0" });
      await patch({ status: "deprecated" });

      const mine = (await notificationsOf(analyst)).notifications.filter((item) => item.product.name === product.name);
      expect(mine.map((item) => [item.type, item.details.breaking ?? null])).toEqual([
        ["product.deprecated", null],
        ["schema.changed", true],
        ["schema.changed", false],
      ]);
      expect(mine[1]!.summary).toBe("Breaking schema change (v1.0.0 → v2.0.0): field note was removed");
      expect(mine[2]!.details).toMatchObject({ breaking: false, fromVersion: "1.0.0", toVersion: "1.0.0" });
    });

    it("gives a failed quality rule's record keys of a restricted product only to followers who read its records", async () => {
      const product = await newProduct({}, { visibility: "restricted", quality: [{ id: "at-present", metric: "nullValues", property: "at", severity: "warning" }] });
      await follow(analyst, product);
      await follow(owner, product);
      await load(product, [{ id: "k-1" }]);
      const failedFor = async (user: TestUser) =>
        (await notificationsOf(user)).notifications.find((item) => item.product.name === product.name && item.type === "quality.failed");
      expect((await failedFor(owner))!.details).toMatchObject({ rule: "at-present", failing: 1, failingKeys: ["k-1"] });
      expect((await failedFor(analyst))!.details).toMatchObject({ rule: "at-present", failing: 1, failingKeys: [] });
    });

    it("tells the requester, follower or not, and the domain's webhooks when an access request is decided", async () => {
      const webhook = await createWebhook("/access");
      const product = await newProduct({}, { visibility: "restricted" });
      const requester = await createTestUser();
      const ask = async (user: TestUser) => {
        const response = await requestRoute(new Request(productUrl(product, "/access-requests"), { method: "POST", headers: json(user), body: JSON.stringify({ purpose: "Quarterly report", days: 30 }) }), at(product));
        expect(response.status, await response.clone().text()).toBe(201);
        return ((await response.json()) as { id: string }).id;
      };
      const decide = async (route: typeof approveRoute, id: string, verb: string, body: object) => {
        const response = await route(new Request(productUrl(product, `/access-requests/${id}/${verb}`), { method: "POST", headers: json(owner), body: JSON.stringify(body) }), {
          params: Promise.resolve({ domain: product.domain, name: product.name, id }),
        });
        expect(response.status, await response.clone().text()).toBe(200);
      };
      await decide(denyRoute, await ask(requester), "deny", { reason: "Use the public summary" });
      await decide(approveRoute, await ask(requester), "approve", { days: 7 });

      const mine = (await notificationsOf(requester)).notifications;
      expect(mine.map((item) => [item.type, item.details.decision])).toEqual([
        ["access.decided", "approved"],
        ["access.decided", "denied"],
      ]);
      expect(mine[0]!.summary).toBe(`Access for ${requester.actor.email} approved for 7 days (until ${String(mine[0]!.details.expiresAt).slice(0, 10)})`);
      expect(mine[1]!.summary).toBe(`Access for ${requester.actor.email} denied: Use the public summary`);
      // Nobody else hears of another user's request, followers of the product included.
      await follow(analyst, product);
      expect((await notificationsOf(analyst)).notifications.filter((item) => item.product.name === product.name)).toEqual([]);

      const received = await until(() => (deliveriesTo("/access").length >= 2 ? deliveriesTo("/access") : undefined), "the decisions at the webhook");
      expect(received.map((request) => [request.headers["x-mesh-event"], (JSON.parse(request.body) as WebhookPayload).details.decision])).toEqual([
        ["access.decided", "denied"],
        ["access.decided", "approved"],
      ]);
      expect(received.every((request) => verifySignature(webhook.secret, request.body, String(request.headers["x-mesh-signature"])))).toBe(true);
      expect((await deleteWebhookRoute(new Request(`${BASE}/api/domains/${domain}/webhooks/${webhook.id}`, { method: "DELETE", headers: owner.auth }), hook(webhook.id))).status).toBe(204);
    });

    it("tries a failing delivery again with backoff and marks it failed after the last attempt", async () => {
      const webhook = await createWebhook("/fail");
      const tested = await testRoute(new Request(`${BASE}/api/domains/${domain}/webhooks/${webhook.id}/test`, { method: "POST", headers: owner.auth }), hook(webhook.id));
      expect(tested.status).toBe(200);
      let delivery = deliverySchema.strict().parse(await tested.json());
      expect(delivery).toMatchObject({ type: "webhook.test", status: "pending", attempts: 1, lastStatusCode: 500, lastError: "The webhook answered 500" });
      expect(deliveriesTo("/fail")).toHaveLength(1);

      const gaps: number[] = [];
      let previous = Date.parse(delivery.createdAt);
      while (delivery.status === "pending") {
        const due = Date.parse(delivery.nextAttemptAt!);
        gaps.push(Math.round((due - previous) / 1000));
        // Not before it is due.
        expect(await deliverDueWebhooks({ now: new Date(due - 1000), ids: [delivery.id] })).toBe(0);
        expect(await deliverDueWebhooks({ now: new Date(due), ids: [delivery.id] })).toBe(1);
        previous = due;
        const log = deliveryListSchema.parse(await (await deliveriesRoute(new Request(`${BASE}/api/domains/${domain}/webhooks/${webhook.id}/deliveries`, { headers: owner.auth }), hook(webhook.id))).json());
        delivery = log.deliveries.find((item) => item.id === delivery.id)!;
      }
      expect(gaps).toEqual([30, 60, 120, 240, 480]);
      expect(delivery).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, nextAttemptAt: null, lastStatusCode: 500 });
      expect(deliveriesTo("/fail")).toHaveLength(MAX_ATTEMPTS);
      // The same body (and delivery id) on every attempt.
      expect(new Set(deliveriesTo("/fail").map((request) => request.body)).size).toBe(1);
    });

    it("lets only the domain's owners manage its webhooks, and refuses URLs the SSRF rules refuse", async () => {
      const post = (user: TestUser, body: object, name = domain) =>
        createWebhookRoute(new Request(`${BASE}/api/domains/${name}/webhooks`, { method: "POST", headers: json(user), body: JSON.stringify(body) }), hooks(name));

      const metadata = await post(owner, { url: "http://169.254.169.254/latest/meta-data" });
      expect(metadata.status).toBe(422);
      expect((await metadata.json()).fieldErrors.url[0]).toMatch(/link-local/);
      const notHttp = await post(owner, { url: "file:///etc/passwd" });
      expect(notHttp.status).toBe(422);
      expect((await notHttp.json()).fieldErrors).toHaveProperty("url");

      expect((await post(analyst, { url: `${receiver.url}/x` })).status).toBe(403);
      expect((await listWebhooksRoute(new Request(`${BASE}/api/domains/${domain}/webhooks`, { headers: analyst.auth }), hooks())).status).toBe(403);

      const webhook = await createWebhook("/owned");
      const listed = webhookListSchema.strict().parse(await (await listWebhooksRoute(new Request(`${BASE}/api/domains/${domain}/webhooks`, { headers: owner.auth }), hooks())).json());
      expect(listed.webhooks.map((item) => item.id)).toContain(webhook.id);
      expect(JSON.stringify(listed)).not.toContain(webhook.secret);

      const other = uniqueDomain("other");
      await createTestUser({ owns: [other] });
      const admin = await createTestUser({ role: "admin" });
      // Addressed under another domain, the webhook is not found.
      const elsewhere = await deleteWebhookRoute(new Request(`${BASE}/api/domains/${other}/webhooks/${webhook.id}`, { method: "DELETE", headers: admin.auth }), hook(webhook.id, other));
      expect(elsewhere.status).toBe(404);
      expect((await deleteWebhookRoute(new Request(`${BASE}/api/domains/${domain}/webhooks/not-an-id`, { method: "DELETE", headers: owner.auth }), hook("not-an-id"))).status).toBe(404);
      expect((await deleteWebhookRoute(new Request(`${BASE}/api/domains/${domain}/webhooks/${webhook.id}`, { method: "DELETE", headers: analyst.auth }), hook(webhook.id))).status).toBe(403);
      expect((await deleteWebhookRoute(new Request(`${BASE}/api/domains/${domain}/webhooks/${webhook.id}`, { method: "DELETE", headers: owner.auth }), hook(webhook.id))).status).toBe(204);
    });

    it("documents the subscription, notification and webhook paths in OpenAPI", async () => {
      const document = (await openApiRoute().json()) as { paths: Record<string, Record<string, unknown>> };
      const methods = (path: string) => Object.keys(document.paths[path] ?? {}).filter((key) => key !== "parameters");
      expect(methods("/api/products/{domain}/{name}/subscription")).toEqual(["get", "put", "delete"]);
      expect(methods("/api/subscriptions")).toEqual(["get"]);
      expect(methods("/api/notifications")).toEqual(["get"]);
      expect(methods("/api/notifications/read")).toEqual(["post"]);
      expect(methods("/api/domains/{domain}/webhooks")).toEqual(["get", "post"]);
      expect(methods("/api/domains/{domain}/webhooks/{id}")).toEqual(["delete"]);
      expect(methods("/api/domains/{domain}/webhooks/{id}/test")).toEqual(["post"]);
      expect(methods("/api/domains/{domain}/webhooks/{id}/deliveries")).toEqual(["get"]);
    });
  });
}
