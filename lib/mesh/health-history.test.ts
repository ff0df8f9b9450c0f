import { describe, expect, it } from "vitest";
import { slaChecks, type Health, type Measurements } from "./health";
import { healthHistory, qualityPassRate, type RunEntry } from "./health-history";
import type { QualityResult } from "./quality";

const at = (iso: string) => new Date(iso);
const result = (now: Date, lastLoadHoursAgo: number, quality: QualityResult["status"][] = []): Health => {
  const m: Measurements = {
    now,
    sla: { freshnessHours: 24, latencyMsP95: 300 },
    newestEventAt: null,
    lastLoadAt: new Date(now.getTime() - lastLoadHoursAgo * 3_600_000),
    loads: [],
    requests: { total: 0, ok: 0 },
    queries: { count: 0, p95Ms: null },
    expiredRecords: null,
  };
  const sla = slaChecks(m);
  return {
    status: sla.freshness.status === "breached" ? "breached" : "healthy",
    checkedAt: now.toISOString(),
    sla,
    quality: quality.map((status, index) => ({ rule: `r${index}`, severity: "warning", status, failing: 0, checkedAt: now.toISOString(), metric: "rowCount", value: 1, unit: "rows", expected: "≥ 1 row", failingKeys: [] })),
  };
};
const run = (iso: string, lastLoadHoursAgo: number, trigger: RunEntry["trigger"] = "schedule", quality: QualityResult["status"][] = []): RunEntry => {
  const health = result(at(iso), lastLoadHoursAgo, quality);
  return { checkedAt: at(iso), trigger, status: health.status, result: health };
};

describe("healthHistory", () => {
  it("has one entry per UTC day, with the worst status, the oldest age and the day's latency and availability", () => {
    const history = healthHistory(
      at("2026-11-29T00:00:00Z"),
      at("2026-12-01T10:00:00Z"),
      [run("2026-11-29T06:00:00Z", 2), run("2026-11-29T18:00:00Z", 30), run("2026-12-01T08:00:00Z", 1)],
      [],
      [{ day: "2026-11-29", requests: 200, ok: 199, p95: 120.4 }],
    );
    expect(history.days.map((day) => day.date)).toEqual(["2026-11-29", "2026-11-30", "2026-12-01"]);
    expect(history.days[0]).toEqual({
      date: "2026-11-29",
      status: "breached",
      freshnessHours: 30,
      freshnessTargetHours: 24,
      latencyMsP95: 120,
      latencyTargetMs: 300,
      availabilityPercent: 99.5,
      checks: 2,
    });
    expect(history.days[1]).toMatchObject({ status: null, freshnessHours: null, checks: 0, latencyMsP95: null });
    expect(history.days[2]).toMatchObject({ status: "healthy", freshnessHours: 1 });
  });

  it("gives each load the quality pass rate of the check that followed it", () => {
    const loadAt = "2026-12-01T09:00:00Z";
    const history = healthHistory(
      at("2026-12-01T00:00:00Z"),
      at("2026-12-01T10:00:00Z"),
      [run(loadAt, 0, "load", ["passed", "failed", "passed", "unknown"]), run("2026-12-01T09:30:00Z", 0, "schedule", ["failed"])],
      [
        { at: at(loadAt), rows: 10, added: 8, changed: 2, rejected: 1, outcome: "loaded" },
        { at: at("2026-12-01T09:45:00Z"), rows: 0, added: 0, changed: 0, rejected: 3, outcome: "rejected" },
      ],
      [],
    );
    expect(history.loads).toEqual([
      { at: loadAt.replace("Z", ".000Z"), rows: 10, added: 8, changed: 2, rejected: 1, outcome: "loaded", qualityPassRate: 66.7 },
      { at: "2026-12-01T09:45:00.000Z", rows: 0, added: 0, changed: 0, rejected: 3, outcome: "rejected", qualityPassRate: null },
    ]);
  });
});

describe("qualityPassRate", () => {
  it("is null without decided rules", () => {
    expect(qualityPassRate(result(at("2026-12-01T00:00:00Z"), 1, ["unknown"]))).toBeNull();
    expect(qualityPassRate(result(at("2026-12-01T00:00:00Z"), 1, ["passed", "passed"]))).toBe(100);
  });
});
