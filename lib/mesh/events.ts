import type { Health, SlaChecks } from "./health";
import { QUALITY_UNITS, quantityText, type QualityUnit } from "./quality";
import { classifySchemaChange, sameSchema } from "./schema-versions";
import type { ProductSchema, ProductStatus } from "../validation/product";

/**
 * Product events: what subscribers are told about and webhooks receive.
 * Pure rules deciding which events a change or a health check raises; the
 * use cases store them (lib/services/events.ts).
 */

export const EVENT_TYPES = ["sla.breached", "sla.recovered", "quality.failed", "schema.changed", "product.deprecated", "access.decided"] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** A webhook's test delivery, sent on request and never to subscribers. */
export const TEST_EVENT = "webhook.test";

/** An event before it is stored: its product is the one it is raised for. */
export interface EventDraft {
  type: EventType;
  at: Date;
  details: Record<string, unknown>;
  /** Users notified instead of the product's followers (an access decision is the requester's alone). */
  recipients?: string[];
}

const SLA_CHECKS = ["freshness", "updateFrequency", "availability", "latency", "retention", "volume"] as const satisfies readonly (keyof SlaChecks)[];

/** Names of the checks for people. */
export const CHECK_LABELS: Record<keyof SlaChecks, string> = {
  freshness: "Freshness",
  updateFrequency: "Update frequency",
  availability: "Availability",
  latency: "Latency (p95)",
  retention: "Retention",
  volume: "Volume",
};

/**
 * The events a health check raises against the previous one: an SLA check
 * that turned breached (sla.breached) or from breached to met (sla.recovered),
 * and a quality rule that turned failed (quality.failed). A check that stays
 * breached raises nothing, so subscribers hear of each change once.
 */
export function healthEvents(previous: Health | null, next: Health, at: Date): EventDraft[] {
  const events: EventDraft[] = [];
  for (const key of SLA_CHECKS) {
    const before = previous?.sla[key].status ?? "unknown";
    const check = next.sla[key];
    if (check.status === "breached" && before !== "breached") events.push({ type: "sla.breached", at, details: { check: key, ...check } });
    if (check.status === "met" && before === "breached") events.push({ type: "sla.recovered", at, details: { check: key, ...check } });
  }
  const failedBefore = new Set(previous?.quality.filter((result) => result.status === "failed").map((result) => result.rule));
  for (const result of next.quality) {
    if (result.status !== "failed" || failedBefore.has(result.rule)) continue;
    const { rule, severity, metric, failing, value, unit, expected, failingKeys } = result;
    events.push({ type: "quality.failed", at, details: { rule, severity, metric, failing, value, unit, expected, failingKeys } });
  }
  return events;
}

/** The events an edit of a product raises: a changed schema (breaking or not), a move to deprecated. */
export function productChangeEvents(
  before: { schema: ProductSchema; status: ProductStatus; version: string },
  after: { schema: ProductSchema; status: ProductStatus; version: string },
  at: Date,
): EventDraft[] {
  const events: EventDraft[] = [];
  if (!sameSchema(before.schema, after.schema)) {
    const { breaking, compatible } = classifySchemaChange(before.schema, after.schema);
    events.push({
      type: "schema.changed",
      at,
      details: {
        breaking: breaking.length > 0,
        changes: [...breaking, ...compatible].map((change) => change.message),
        fromVersion: before.version,
        toVersion: after.version,
      },
    });
  }
  if (after.status === "deprecated" && before.status !== "deprecated") events.push({ type: "product.deprecated", at, details: { version: after.version } });
  return events;
}

/** A decided access request: its requester is notified, whether they follow the product or not. */
export function accessDecisionEvent(
  requester: { id: string; email: string },
  decision: { status: "approved"; days: number; expiresAt: Date } | { status: "denied"; reason: string },
  at: Date,
): EventDraft {
  const details = decision.status === "approved" ? { decision: "approved", days: decision.days, expiresAt: decision.expiresAt.toISOString() } : { decision: "denied", reason: decision.reason };
  return { type: "access.decided", at, details: { requester: requester.email, ...details }, recipients: [requester.id] };
}

/** A quality rule's value with its unit (events raised before units were recorded have none). */
const quantity = (value: unknown, unit: unknown) =>
  typeof value === "number" && QUALITY_UNITS.includes(unit as QualityUnit) ? quantityText(value, unit as QualityUnit) : figure(value, "");
const figure = (value: unknown, unit: string) => (typeof value === "number" ? `${value.toLocaleString("en")}${unit}` : "not measured");

/** One line for people, e.g. "Freshness breached: 3.02 h (target ≤ 1 h)". */
export function eventSummary(type: string, details: Record<string, unknown>): string {
  switch (type) {
    case "sla.breached":
    case "sla.recovered": {
      const key = details.check as keyof SlaChecks;
      const verb = type === "sla.breached" ? "breached" : "met again";
      return `${CHECK_LABELS[key] ?? String(details.check)} ${verb}${measuredText(key, details)}`;
    }
    case "quality.failed":
      return `Quality rule ${String(details.rule)} (${String(details.severity)}) failed: ${quantity(details.value, details.unit)}, expected ${String(details.expected)}`;
    case "schema.changed": {
      const changes = Array.isArray(details.changes) ? details.changes.map(String) : [];
      return `${details.breaking ? "Breaking schema change" : "Schema changed"} (v${String(details.fromVersion)} → v${String(details.toVersion)})${changes.length ? `: ${changes.join("; ")}` : ""}`;
    }
    case "product.deprecated":
      return "Deprecated: consumers should move away from it";
    case "access.decided":
      return details.decision === "approved"
        ? `Access for ${String(details.requester)} approved for ${String(details.days)} days (until ${String(details.expiresAt).slice(0, 10)})`
        : `Access for ${String(details.requester)} denied: ${String(details.reason)}`;
    case TEST_EVENT:
      return "Test delivery";
    default:
      return type;
  }
}

function measuredText(key: keyof SlaChecks, d: Record<string, unknown>): string {
  switch (key) {
    case "freshness":
    case "updateFrequency":
      return `: ${figure(d.measuredHours, " h")} (target ≤ ${figure(d.targetHours, " h")})`;
    case "availability":
      return `: ${figure(d.measuredPercent, " %")} (target ≥ ${figure(d.targetPercent, " %")})`;
    case "latency":
      return `: ${figure(d.measuredMsP95, " ms")} (target ≤ ${figure(d.targetMsP95, " ms")})`;
    case "retention":
      return `: ${figure(d.expiredRecords, d.expiredRecords === 1 ? " record" : " records")} past ${figure(d.targetDays, " days")}`;
    case "volume":
      return `: last load ${figure(d.lastLoad, " rows")} (expected ≥ ${figure(d.expectedMin, " rows")})`;
  }
}
