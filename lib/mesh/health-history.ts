import type { Health } from "./health";
import type { HealthStatus } from "./health-status";

/**
 * Compliance over time, from the stored check runs, loads and request log:
 * pure aggregation per UTC day and per load.
 */

export interface RunEntry {
  checkedAt: Date;
  trigger: "schedule" | "load" | "manual";
  status: HealthStatus;
  result: Health;
}
export interface LoadEntry {
  at: Date;
  rows: number;
  added: number;
  changed: number;
  rejected: number;
  outcome: "loaded" | "rejected";
}
export interface RequestDay {
  day: string;
  requests: number;
  ok: number;
  p95: number | null;
}

export interface HistoryDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  /** The worst health of the day's checks; null without checks. */
  status: HealthStatus | null;
  /** The oldest the data was found that day, in hours. */
  freshnessHours: number | null;
  freshnessTargetHours: number | null;
  /** p95 of the day's successful semantic queries. */
  latencyMsP95: number | null;
  latencyTargetMs: number | null;
  availabilityPercent: number | null;
  checks: number;
}
export interface HistoryLoad {
  at: string;
  rows: number;
  added: number;
  changed: number;
  rejected: number;
  outcome: "loaded" | "rejected";
  /** Share of the quality rules that passed in the check after the load, 0–100; null without rules. */
  qualityPassRate: number | null;
}
export interface HealthHistory {
  from: string;
  to: string;
  days: HistoryDay[];
  loads: HistoryLoad[];
}

const WORST: HealthStatus[] = ["breached", "degraded", "healthy", "unknown"];
const worse = (a: HealthStatus | null, b: HealthStatus): HealthStatus => (a === null || WORST.indexOf(b) < WORST.indexOf(a) ? b : a);
const maxOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** Pass rate of a run's quality results (unknown ones left out), 0–100; null when nothing passed or failed. */
export function qualityPassRate(result: Health): number | null {
  const decided = result.quality.filter((entry) => entry.status !== "unknown");
  if (decided.length === 0) return null;
  return Math.round((1000 * decided.filter((entry) => entry.status === "passed").length) / decided.length) / 10;
}

/** One entry per UTC day from `from` to `to` (both included), and one per load in the window. */
export function healthHistory(from: Date, to: Date, runs: RunEntry[], loads: LoadEntry[], requests: RequestDay[]): HealthHistory {
  const days = new Map<string, HistoryDay>();
  for (let day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())); day <= to; day = new Date(day.getTime() + 86_400_000)) {
    const date = dayOf(day);
    days.set(date, {
      date,
      status: null,
      freshnessHours: null,
      freshnessTargetHours: null,
      latencyMsP95: null,
      latencyTargetMs: null,
      availabilityPercent: null,
      checks: 0,
    });
  }
  for (const run of runs) {
    const day = days.get(dayOf(run.checkedAt));
    if (!day) continue;
    day.checks++;
    day.status = worse(day.status, run.status);
    day.freshnessHours = maxOrNull(day.freshnessHours, run.result.sla.freshness.measuredHours);
    day.freshnessTargetHours = run.result.sla.freshness.targetHours ?? day.freshnessTargetHours;
    day.latencyTargetMs = run.result.sla.latency.targetMsP95 ?? day.latencyTargetMs;
  }
  for (const entry of requests) {
    const day = days.get(entry.day);
    if (!day) continue;
    day.latencyMsP95 = entry.p95 === null ? null : Math.round(entry.p95);
    day.availabilityPercent = entry.requests ? Math.round((100_000 * entry.ok) / entry.requests) / 1000 : null;
  }
  const afterLoad = new Map(runs.filter((run) => run.trigger === "load").map((run) => [run.checkedAt.getTime(), run.result]));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    days: [...days.values()],
    loads: loads.map((load) => {
      const result = afterLoad.get(load.at.getTime());
      return {
        at: load.at.toISOString(),
        rows: load.rows,
        added: load.added,
        changed: load.changed,
        rejected: load.rejected,
        outcome: load.outcome,
        qualityPassRate: result ? qualityPassRate(result) : null,
      };
    }),
  };
}
