import type { Sla } from "../validation/product";
import { parseFrequency } from "./frequency";
import { CHECK_STATUSES, HEALTH_STATUSES, type CheckStatus, type HealthStatus } from "./health-status";
import type { QualityResult } from "./quality";

/**
 * Measured service levels and product health: pure functions of what the
 * portal measured (newest event time, loads, its own request log) and of the
 * clock they are given. No database, no `Date.now()`.
 */

export { CHECK_STATUSES, HEALTH_STATUSES, type CheckStatus, type HealthStatus };

/** Availability and latency are measured over the requests of this window. */
export const REQUEST_WINDOW_HOURS = 24;
/** A load may come this much later than the declared frequency (a quarter of it) before it breaches. */
export const FREQUENCY_GRACE = 0.25;
/** The volume band is learned from this many previous successful loads, and needs at least MIN_VOLUME_HISTORY. */
export const VOLUME_HISTORY = 10;
export const MIN_VOLUME_HISTORY = 3;
/** A load with fewer rows than this share of the usual (median) volume is a sudden drop. */
export const VOLUME_DROP_RATIO = 0.5;

const HOUR_MS = 3_600_000;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Timed {
  status: CheckStatus;
  /** Since when the check has had this status (ISO time); null when never measured. */
  since: string | null;
}

export interface FreshnessCheck extends Timed {
  measuredHours: number | null;
  targetHours: number | null;
  /** What the age is measured on: the event-time field, or the last successful load. */
  basis: "event_time" | "last_load" | null;
}
export interface UpdateFrequencyCheck extends Timed {
  /** The longest of the last interval between loads and the time since the last load. */
  measuredHours: number | null;
  targetHours: number | null;
  /** The declared frequency, as written. */
  target: string | null;
}
export interface AvailabilityCheck extends Timed {
  measuredPercent: number | null;
  targetPercent: number | null;
  requests: number;
  windowHours: number;
}
export interface LatencyCheck extends Timed {
  measuredMsP95: number | null;
  targetMsP95: number | null;
  queries: number;
  windowHours: number;
}
export interface RetentionCheck extends Timed {
  /** Records whose event time is older than the retention period. */
  expiredRecords: number | null;
  targetDays: number | null;
}
export interface VolumeCheck extends Timed {
  /** Rows the last successful load brought. */
  lastLoad: number | null;
  /** The least the last load should have brought: a share of the usual volume of the previous loads. */
  expectedMin: number | null;
  /** The usual (median) volume of the previous loads. */
  usual: number | null;
}

export interface SlaChecks {
  freshness: FreshnessCheck;
  updateFrequency: UpdateFrequencyCheck;
  availability: AvailabilityCheck;
  latency: LatencyCheck;
  retention: RetentionCheck;
  volume: VolumeCheck;
}

export type { QualityResult };

export interface Health {
  status: HealthStatus;
  checkedAt: string;
  sla: SlaChecks;
  quality: QualityResult[];
}

/** What the portal measured about a product, at `now`. */
export interface Measurements {
  now: Date;
  sla: Sla;
  /** The newest event time among the records (null: no event-time field, or no record has one). */
  newestEventAt: Date | null;
  /** When records were last loaded successfully. */
  lastLoadAt: Date | null;
  /** Successful loads, newest first (at most VOLUME_HISTORY + 1), with the rows each brought. */
  loads: { at: Date; rows: number }[];
  /** Read and query requests of the product in the window, and how many succeeded. */
  requests: { total: number; ok: number };
  /** Semantic queries in the window and their 95th-percentile latency. */
  queries: { count: number; p95Ms: number | null };
  /** Records past retention; null when it cannot be measured (no event-time field). */
  expiredRecords: number | null;
}

type Unstamped<T> = Omit<T, "since">;

const statusOf = (measured: number | null, target: number | undefined, breached: (measured: number, target: number) => boolean): CheckStatus =>
  measured === null || target === undefined ? "unknown" : breached(measured, target) ? "breached" : "met";

const hoursBetween = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / HOUR_MS);

export function freshnessCheck(m: Measurements): Unstamped<FreshnessCheck> {
  const eventTime = Boolean(m.sla.eventTimeField) && m.newestEventAt !== null;
  const newest = eventTime ? m.newestEventAt : m.lastLoadAt;
  const measuredHours = newest ? round(hoursBetween(newest, m.now)) : null;
  const targetHours = m.sla.freshnessHours ?? null;
  return {
    status: statusOf(measuredHours, m.sla.freshnessHours, (measured, target) => measured > target),
    measuredHours,
    targetHours,
    basis: newest ? (eventTime ? "event_time" : "last_load") : null,
  };
}

export function updateFrequencyCheck(m: Measurements): Unstamped<UpdateFrequencyCheck> {
  const frequency = m.sla.updateFrequency ? parseFrequency(m.sla.updateFrequency) : null;
  const [last, previous] = m.loads;
  const intervals = last ? [hoursBetween(last.at, m.now), ...(previous ? [hoursBetween(previous.at, last.at)] : [])] : [];
  const measuredHours = intervals.length ? round(Math.max(...intervals)) : null;
  const targetHours = frequency ? round(frequency.seconds / 3600, 4) : null;
  return {
    status: statusOf(measuredHours, targetHours ?? undefined, (measured, target) => measured > target * (1 + FREQUENCY_GRACE)),
    measuredHours,
    targetHours,
    target: m.sla.updateFrequency ?? null,
  };
}

export function availabilityCheck(m: Measurements): Unstamped<AvailabilityCheck> {
  const measuredPercent = m.requests.total ? round((100 * m.requests.ok) / m.requests.total, 3) : null;
  return {
    status: statusOf(measuredPercent, m.sla.availabilityPercent, (measured, target) => measured < target),
    measuredPercent,
    targetPercent: m.sla.availabilityPercent ?? null,
    requests: m.requests.total,
    windowHours: REQUEST_WINDOW_HOURS,
  };
}

export function latencyCheck(m: Measurements): Unstamped<LatencyCheck> {
  const measuredMsP95 = m.queries.count && m.queries.p95Ms !== null ? Math.round(m.queries.p95Ms) : null;
  return {
    status: statusOf(measuredMsP95, m.sla.latencyMsP95, (measured, target) => measured > target),
    measuredMsP95,
    targetMsP95: m.sla.latencyMsP95 ?? null,
    queries: m.queries.count,
    windowHours: REQUEST_WINDOW_HOURS,
  };
}

export function retentionCheck(m: Measurements): Unstamped<RetentionCheck> {
  const measurable = m.sla.retentionDays !== undefined && m.expiredRecords !== null;
  return {
    status: measurable ? (m.expiredRecords! > 0 ? "breached" : "met") : "unknown",
    expiredRecords: measurable ? m.expiredRecords : null,
    targetDays: m.sla.retentionDays ?? null,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The last load against the band of the previous ones: a sudden drop breaches. Needs no declared objective. */
export function volumeCheck(m: Measurements): Unstamped<VolumeCheck> {
  const [last, ...previous] = m.loads;
  const history = previous.slice(0, VOLUME_HISTORY).map((load) => load.rows);
  if (!last || history.length < MIN_VOLUME_HISTORY) {
    return { status: "unknown", lastLoad: last?.rows ?? null, expectedMin: null, usual: null };
  }
  const usual = median(history);
  const expectedMin = Math.floor(usual * VOLUME_DROP_RATIO);
  return { status: last.rows < expectedMin ? "breached" : "met", lastLoad: last.rows, expectedMin, usual };
}

/** Every SLA check at `m.now`, each stamped with since when it has had its status (carried over from `previous`). */
export function slaChecks(m: Measurements, previous?: SlaChecks | null): SlaChecks {
  const checks = {
    freshness: freshnessCheck(m),
    updateFrequency: updateFrequencyCheck(m),
    availability: availabilityCheck(m),
    latency: latencyCheck(m),
    retention: retentionCheck(m),
    volume: volumeCheck(m),
  };
  const stamp = <K extends keyof SlaChecks>(key: K): SlaChecks[K] => {
    const before = previous?.[key];
    const since = before && before.status === checks[key].status && before.since ? before.since : m.now.toISOString();
    return { ...checks[key], since } as SlaChecks[K];
  };
  return {
    freshness: stamp("freshness"),
    updateFrequency: stamp("updateFrequency"),
    availability: stamp("availability"),
    latency: stamp("latency"),
    retention: stamp("retention"),
    volume: stamp("volume"),
  };
}

/** The objectives a consumer relies on: breaching one breaches the product. */
const OBJECTIVES = ["freshness", "updateFrequency", "availability", "latency"] as const;
/** Signs of trouble that degrade the product: records kept too long, a sudden drop in volume. */
const SIGNALS = ["retention", "volume"] as const;

/**
 * The product's health: breached when an objective is breached or an error
 * rule fails; degraded when a warning rule fails, records outlive retention
 * or a load's volume drops suddenly; healthy when something was measured and
 * nothing is wrong; unknown when nothing could be measured.
 */
export function healthStatus(sla: SlaChecks, quality: QualityResult[]): HealthStatus {
  const failed = quality.filter((result) => result.status === "failed");
  if (OBJECTIVES.some((key) => sla[key].status === "breached") || failed.some((result) => result.severity === "error")) return "breached";
  if (SIGNALS.some((key) => sla[key].status === "breached") || failed.length > 0) return "degraded";
  const measured = [...OBJECTIVES, ...SIGNALS].some((key) => sla[key].status === "met") || quality.some((result) => result.status === "passed");
  return measured ? "healthy" : "unknown";
}

/** Why `sla.eventTimeField` does not fit `schema`, or null when it does. */
export function eventTimeFieldProblem(schema: { fields: { name: string; type: string }[] }, field: string | undefined): string | null {
  if (!field) return null;
  const found = schema.fields.find((candidate) => candidate.name === field);
  if (!found) return `The event-time field ${field} is not a field of the schema`;
  if (found.type !== "date" && found.type !== "timestamp") return `The event-time field ${field} must be a date or timestamp field (it is ${found.type})`;
  return null;
}
