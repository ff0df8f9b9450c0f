import { describe, expect, it } from "vitest";
import { accessDecisionEvent, eventSummary, healthEvents, productChangeEvents } from "./events";
import { slaChecks, type Health, type Measurements, type QualityResult } from "./health";
import type { ProductSchema } from "../validation/product";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const hoursBefore = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

/** A health whose freshness (target 1 h) is `ageHours` old, with the given quality results. */
function health(ageHours: number | null, quality: QualityResult[] = []): Health {
  const m: Measurements = {
    now: NOW,
    sla: { freshnessHours: 1 },
    newestEventAt: null,
    lastLoadAt: ageHours === null ? null : hoursBefore(ageHours),
    loads: [],
    requests: { total: 0, ok: 0 },
    queries: { count: 0, p95Ms: null },
    expiredRecords: null,
  };
  return { status: "unknown", checkedAt: NOW.toISOString(), sla: slaChecks(m), quality };
}

const rule = (status: QualityResult["status"]): QualityResult => ({
  rule: "email-present",
  severity: "error",
  status,
  failing: status === "failed" ? 2 : 0,
  checkedAt: NOW.toISOString(),
  metric: "nullValues",
  value: status === "failed" ? 2 : 0,
  unit: "rows",
  expected: "= 0 rows",
  failingKeys: status === "failed" ? ["a", "b"] : [],
});

describe("healthEvents", () => {
  it("raises sla.breached when a check turns breached, also on the first check, and nothing while it stays breached", () => {
    const [event, ...rest] = healthEvents(null, health(3), NOW);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: "sla.breached", at: NOW, details: { check: "freshness", status: "breached", measuredHours: 3, targetHours: 1 } });
    expect(healthEvents(health(0.5), health(3), NOW).map((e) => e.type)).toEqual(["sla.breached"]);
    expect(healthEvents(health(3), health(4), NOW)).toEqual([]);
  });

  it("raises sla.recovered only from breached to met, not from breached to unknown", () => {
    expect(healthEvents(health(3), health(0.5), NOW)).toMatchObject([{ type: "sla.recovered", details: { check: "freshness", status: "met" } }]);
    expect(healthEvents(health(3), health(null), NOW)).toEqual([]);
    expect(healthEvents(health(0.2), health(0.5), NOW)).toEqual([]);
  });

  it("raises quality.failed when a rule turns failed, with its failing keys", () => {
    const events = healthEvents(health(0.5, [rule("passed")]), health(0.5, [rule("failed")]), NOW);
    expect(events).toEqual([
      { type: "quality.failed", at: NOW, details: { rule: "email-present", severity: "error", metric: "nullValues", failing: 2, value: 2, unit: "rows", expected: "= 0 rows", failingKeys: ["a", "b"] } },
    ]);
    expect(healthEvents(health(0.5, [rule("failed")]), health(0.5, [rule("failed")]), NOW)).toEqual([]);
    expect(healthEvents(null, health(0.5, [rule("failed")]), NOW).map((e) => e.type)).toEqual(["quality.failed"]);
  });
});

describe("productChangeEvents", () => {
  const schema: ProductSchema = { primaryKey: "id", fields: [{ name: "id", type: "string", required: true, description: "", pii: false }] };
  const withNote: ProductSchema = { ...schema, fields: [...schema.fields, { name: "note", type: "string", required: false, description: "", pii: false }] };

  it("raises schema.changed with its changes, breaking or not", () => {
    expect(productChangeEvents({ schema, status: "active", version: "1.0.0" }, { schema: withNote, status: "active", version: "1.1.0" }, NOW)).toEqual([
      { type: "schema.changed", at: NOW, details: { breaking: false, changes: ["field note (string) was added"], fromVersion: "1.0.0", toVersion: "1.1.0" } },
    ]);
    const [removed] = productChangeEvents({ schema: withNote, status: "active", version: "1.1.0" }, { schema, status: "active", version: "2.0.0" }, NOW);
    expect(removed!.details).toMatchObject({ breaking: true, changes: ["field note was removed"] });
  });

  it("raises product.deprecated once, and nothing for an edit that changes neither", () => {
    expect(productChangeEvents({ schema, status: "active", version: "1.0.0" }, { schema, status: "deprecated", version: "1.0.0" }, NOW)).toEqual([
      { type: "product.deprecated", at: NOW, details: { version: "1.0.0" } },
    ]);
    expect(productChangeEvents({ schema, status: "deprecated", version: "1.0.0" }, { schema, status: "deprecated", version: "1.0.1" }, NOW)).toEqual([]);
  });
});

describe("accessDecisionEvent", () => {
  it("is for the requester alone, with the terms of the decision", () => {
    const requester = { id: "u1", email: "ana@example.com" };
    const approved = accessDecisionEvent(requester, { status: "approved", days: 7, expiresAt: new Date("2026-12-08T12:00:00.000Z") }, NOW);
    expect(approved).toEqual({
      type: "access.decided",
      at: NOW,
      details: { requester: "ana@example.com", decision: "approved", days: 7, expiresAt: "2026-12-08T12:00:00.000Z" },
      recipients: ["u1"],
    });
    expect(eventSummary(approved.type, approved.details)).toBe("Access for ana@example.com approved for 7 days (until 2026-12-08)");
    const denied = accessDecisionEvent(requester, { status: "denied", reason: "Use the summary" }, NOW);
    expect(denied.details).toEqual({ requester: "ana@example.com", decision: "denied", reason: "Use the summary" });
    expect(eventSummary(denied.type, denied.details)).toBe("Access for ana@example.com denied: Use the summary");
  });
});

describe("eventSummary", () => {
  it("says what happened in one line", () => {
    expect(eventSummary("sla.breached", { check: "freshness", measuredHours: 3.02, targetHours: 1 })).toBe("Freshness breached: 3.02 h (target ≤ 1 h)");
    expect(eventSummary("sla.recovered", { check: "latency", measuredMsP95: 120, targetMsP95: 500 })).toBe("Latency (p95) met again: 120 ms (target ≤ 500 ms)");
    expect(eventSummary("sla.breached", { check: "availability", measuredPercent: null, targetPercent: 99 })).toBe("Availability breached: not measured (target ≥ 99 %)");
    expect(eventSummary("sla.breached", { check: "retention", expiredRecords: 1, targetDays: 365 })).toBe("Retention breached: 1 record past 365 days");
    expect(eventSummary("quality.failed", { rule: "enough-rows", severity: "warning", value: 12, unit: "rows", expected: "≥ 1000 rows" })).toBe(
      "Quality rule enough-rows (warning) failed: 12 rows, expected ≥ 1000 rows",
    );
    expect(eventSummary("quality.failed", { rule: "recent", severity: "error", value: 30.5, unit: "hours", expected: "≤ 24 h" })).toBe(
      "Quality rule recent (error) failed: 30.5 h, expected ≤ 24 h",
    );
    expect(eventSummary("schema.changed", { breaking: true, changes: ["field note was removed"], fromVersion: "1.1.0", toVersion: "2.0.0" })).toBe(
      "Breaking schema change (v1.1.0 → v2.0.0): field note was removed",
    );
  });
});
