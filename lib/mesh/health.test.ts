import { describe, expect, it } from "vitest";
import {
  availabilityCheck,
  eventTimeFieldProblem,
  freshnessCheck,
  healthStatus,
  latencyCheck,
  retentionCheck,
  slaChecks,
  updateFrequencyCheck,
  volumeCheck,
  type Measurements,
  type QualityResult,
} from "./health";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const hoursBefore = (hours: number, from = NOW) => new Date(from.getTime() - hours * 3_600_000);

/** Nothing measured and nothing declared, at NOW; each test sets what it needs. */
const measurements = (changes: Partial<Measurements> = {}): Measurements => ({
  now: NOW,
  sla: {},
  newestEventAt: null,
  lastLoadAt: null,
  loads: [],
  requests: { total: 0, ok: 0 },
  queries: { count: 0, p95Ms: null },
  expiredRecords: null,
  ...changes,
});

describe("freshnessCheck", () => {
  it("measures the newest event time when the product names an event-time field", () => {
    const m = measurements({ sla: { freshnessHours: 1, eventTimeField: "at" }, newestEventAt: hoursBefore(3), lastLoadAt: hoursBefore(0.1) });
    expect(freshnessCheck(m)).toEqual({ status: "breached", measuredHours: 3, targetHours: 1, basis: "event_time" });
  });

  it("falls back to the last load without an event-time field, or when no record has an event time", () => {
    expect(freshnessCheck(measurements({ sla: { freshnessHours: 1 }, lastLoadAt: hoursBefore(0.5) }))).toMatchObject({ status: "met", measuredHours: 0.5, basis: "last_load" });
    expect(freshnessCheck(measurements({ sla: { freshnessHours: 1, eventTimeField: "at" }, lastLoadAt: hoursBefore(2) }))).toMatchObject({ status: "breached", basis: "last_load" });
  });

  it("is unknown without a target or without data, and counts future events as age 0", () => {
    expect(freshnessCheck(measurements({ lastLoadAt: hoursBefore(2) })).status).toBe("unknown");
    expect(freshnessCheck(measurements({ sla: { freshnessHours: 1 } }))).toMatchObject({ status: "unknown", measuredHours: null, basis: null });
    expect(freshnessCheck(measurements({ sla: { freshnessHours: 1, eventTimeField: "at" }, newestEventAt: hoursBefore(-5) })).measuredHours).toBe(0);
  });
});

describe("updateFrequencyCheck", () => {
  const sla = { updateFrequency: "every 15 minutes" };
  it("takes the longer of the last interval and the time since the last load, with a quarter of grace", () => {
    const loads = [{ at: hoursBefore(0.1), rows: 1 }, { at: hoursBefore(0.35), rows: 1 }];
    expect(updateFrequencyCheck(measurements({ sla, loads }))).toEqual({ status: "met", measuredHours: 0.25, targetHours: 0.25, target: "every 15 minutes" });
    expect(updateFrequencyCheck(measurements({ sla, loads: [{ at: hoursBefore(0.31), rows: 1 }] })).status).toBe("met");
    expect(updateFrequencyCheck(measurements({ sla, loads: [{ at: hoursBefore(0.32), rows: 1 }] })).status).toBe("breached");
    const gap = [{ at: hoursBefore(0.05), rows: 1 }, { at: hoursBefore(2), rows: 1 }];
    expect(updateFrequencyCheck(measurements({ sla, loads: gap }))).toMatchObject({ status: "breached", measuredHours: 1.95 });
  });

  it("reads ISO durations and words, and is unknown before the first load", () => {
    expect(updateFrequencyCheck(measurements({ sla: { updateFrequency: "PT6H" }, loads: [{ at: hoursBefore(7), rows: 1 }] })).status).toBe("met");
    expect(updateFrequencyCheck(measurements({ sla: { updateFrequency: "daily" } }))).toMatchObject({ status: "unknown", measuredHours: null, targetHours: 24 });
  });
});

describe("availabilityCheck and latencyCheck", () => {
  it("compare the share of successful requests and the p95 of queries with their targets", () => {
    const sla = { availabilityPercent: 99.5, latencyMsP95: 300 };
    expect(availabilityCheck(measurements({ sla, requests: { total: 1000, ok: 996 } }))).toMatchObject({ status: "met", measuredPercent: 99.6, requests: 1000 });
    expect(availabilityCheck(measurements({ sla, requests: { total: 1000, ok: 990 } })).status).toBe("breached");
    expect(availabilityCheck(measurements({ sla })).status).toBe("unknown");
    expect(latencyCheck(measurements({ sla, queries: { count: 40, p95Ms: 300.6 } }))).toMatchObject({ status: "breached", measuredMsP95: 301 });
    expect(latencyCheck(measurements({ sla, queries: { count: 40, p95Ms: 120 } })).status).toBe("met");
    expect(latencyCheck(measurements({ sla, queries: { count: 0, p95Ms: null } })).status).toBe("unknown");
  });
});

describe("retentionCheck", () => {
  it("breaches while records outlive retention; unknown unless measurable", () => {
    expect(retentionCheck(measurements({ sla: { retentionDays: 30 }, expiredRecords: 3 }))).toEqual({ status: "breached", expiredRecords: 3, targetDays: 30 });
    expect(retentionCheck(measurements({ sla: { retentionDays: 30 }, expiredRecords: 0 })).status).toBe("met");
    expect(retentionCheck(measurements({ sla: { retentionDays: 30 } })).status).toBe("unknown");
    expect(retentionCheck(measurements({ expiredRecords: 3 })).status).toBe("unknown");
  });
});

describe("volumeCheck", () => {
  const loads = (...rows: number[]) => rows.map((count, index) => ({ at: hoursBefore(index), rows: count }));
  it("flags a load with less than half the median of the previous ones", () => {
    expect(volumeCheck(measurements({ loads: loads(60, 100, 120, 90) }))).toEqual({ status: "met", lastLoad: 60, expectedMin: 50, usual: 100 });
    expect(volumeCheck(measurements({ loads: loads(40, 100, 120, 90) })).status).toBe("breached");
    expect(volumeCheck(measurements({ loads: loads(1000, 100, 120, 90) })).status).toBe("met");
  });
  it("needs three previous loads", () => {
    expect(volumeCheck(measurements({ loads: loads(1, 100, 100) }))).toMatchObject({ status: "unknown", lastLoad: 1, expectedMin: null });
  });
});

describe("slaChecks", () => {
  it("keeps `since` while a check's status holds and moves it when the status changes", () => {
    const sla = { freshnessHours: 1 };
    const first = slaChecks(measurements({ sla, lastLoadAt: hoursBefore(0.5) }));
    expect(first.freshness.since).toBe(NOW.toISOString());
    const later = new Date(NOW.getTime() + 20 * 60_000);
    const second = slaChecks(measurements({ now: later, sla, lastLoadAt: hoursBefore(0.5) }), first);
    expect(second.freshness).toMatchObject({ status: "met", since: NOW.toISOString() });
    const stale = new Date(NOW.getTime() + 2 * 3_600_000);
    const third = slaChecks(measurements({ now: stale, sla, lastLoadAt: hoursBefore(0.5) }), second);
    expect(third.freshness).toMatchObject({ status: "breached", since: stale.toISOString() });
  });
});

describe("healthStatus", () => {
  const quality = (severity: "warning" | "error", status: "passed" | "failed"): QualityResult => ({
    rule: "r",
    severity,
    status,
    failing: 0,
    checkedAt: NOW.toISOString(),
    metric: "rowCount",
    value: 1,
    unit: "rows",
    expected: "≥ 1 row",
    failingKeys: [],
  });
  const checks = (m: Partial<Measurements>) => slaChecks(measurements(m));

  it("is unknown when nothing could be measured, healthy when something was and nothing is wrong", () => {
    expect(healthStatus(checks({}), [])).toBe("unknown");
    expect(healthStatus(checks({ sla: { freshnessHours: 2 }, lastLoadAt: hoursBefore(1) }), [])).toBe("healthy");
    expect(healthStatus(checks({}), [quality("error", "passed")])).toBe("healthy");
  });

  it("is breached by a breached objective or a failing error rule, degraded by warnings and signals", () => {
    expect(healthStatus(checks({ sla: { freshnessHours: 2 }, lastLoadAt: hoursBefore(3) }), [])).toBe("breached");
    expect(healthStatus(checks({}), [quality("error", "failed")])).toBe("breached");
    expect(healthStatus(checks({}), [quality("warning", "failed")])).toBe("degraded");
    expect(healthStatus(checks({ sla: { retentionDays: 1 }, expiredRecords: 1 }), [])).toBe("degraded");
  });
});

describe("eventTimeFieldProblem", () => {
  const schema = { fields: [{ name: "id", type: "string" }, { name: "day", type: "date" }, { name: "at", type: "timestamp" }] };
  it("accepts date and timestamp fields only", () => {
    expect(eventTimeFieldProblem(schema, undefined)).toBeNull();
    expect(eventTimeFieldProblem(schema, "day")).toBeNull();
    expect(eventTimeFieldProblem(schema, "at")).toBeNull();
    expect(eventTimeFieldProblem(schema, "id")).toMatch(/must be a date or timestamp field \(it is string\)/);
    expect(eventTimeFieldProblem(schema, "gone")).toMatch(/not a field/);
  });
});
