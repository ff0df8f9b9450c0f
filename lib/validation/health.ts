import { z } from "zod";
import { CHECK_STATUSES, HEALTH_STATUSES } from "../mesh/health-status";
import { QUALITY_METRICS, QUALITY_UNITS } from "./quality";

/** The health API's shapes: the source of its OpenAPI document, and the input it parses. */

const status = z.enum(CHECK_STATUSES).describe("met | breached | unknown (not declared or nothing measured yet)");
const since = z.iso.datetime().nullable().describe("Since when the check has had this status");
const hours = z.number().nullable();

export const healthSchema = z
  .object({
    status: z.enum(HEALTH_STATUSES).describe("breached: an objective is breached or an error rule fails; degraded: a warning rule fails, records outlive retention or volume dropped"),
    checkedAt: z.iso.datetime(),
    sla: z.object({
      freshness: z.object({
        status,
        measuredHours: hours.describe("Age of the newest data, hours"),
        targetHours: hours,
        basis: z.enum(["event_time", "last_load"]).nullable().describe("Measured on sla.eventTimeField, else on the last successful load"),
        since,
      }),
      updateFrequency: z.object({
        status,
        measuredHours: hours.describe("The longer of the last interval between loads and the time since the last load"),
        targetHours: hours,
        target: z.string().nullable().describe("The declared frequency, as written"),
        since,
      }),
      availability: z.object({
        status,
        measuredPercent: z.number().nullable().describe("Share of the product's reads and queries that succeeded"),
        targetPercent: z.number().nullable(),
        requests: z.number().int(),
        windowHours: z.number().int(),
        since,
      }),
      latency: z.object({
        status,
        measuredMsP95: z.number().int().nullable().describe("p95 latency of the product's semantic queries"),
        targetMsP95: z.number().int().nullable(),
        queries: z.number().int(),
        windowHours: z.number().int(),
        since,
      }),
      retention: z.object({
        status,
        expiredRecords: z.number().int().nullable().describe("Records whose event time is older than retentionDays"),
        targetDays: z.number().int().nullable(),
        since,
      }),
      volume: z.object({
        status,
        lastLoad: z.number().int().nullable().describe("Rows the last successful load brought"),
        expectedMin: z.number().int().nullable().describe("Half the usual volume: fewer is a sudden drop"),
        usual: z.number().nullable().describe("Median rows of the previous loads"),
        since,
      }),
    }),
    quality: z.array(
      z.object({
        rule: z.string(),
        severity: z.enum(["warning", "error"]),
        status: z.enum(["passed", "failed", "unknown"]),
        failing: z.number().int().describe("Records failing the rule"),
        checkedAt: z.iso.datetime(),
        metric: z.enum(QUALITY_METRICS),
        value: z.number().nullable().describe("The metric's value, in unit; null when unmeasurable"),
        unit: z.enum(QUALITY_UNITS).describe("The unit of value and of the threshold: rows (records), percent (of the records) or hours (freshness)"),
        expected: z.string().describe('The threshold with its unit, e.g. "= 0 rows", "≥ 1000 rows" or "≤ 24 h"'),
        failingKeys: z.array(z.string()).describe("Keys of up to 100 failing records"),
      }),
    ),
  })
  .describe("A product's measured service levels and data quality");

export const historyQuerySchema = z.object({
  days: z.coerce.number({ error: "days must be a number" }).int("days must be a whole number").min(1, "days must be at least 1").max(90, "days must be at most 90").default(30),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

const nullableNumber = z.number().nullable();
export const historySchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    days: z.array(
      z.object({
        date: z.string().describe("YYYY-MM-DD, UTC"),
        status: z.enum(HEALTH_STATUSES).nullable().describe("The worst health of the day's checks; null without checks"),
        freshnessHours: nullableNumber.describe("The oldest the data was found that day"),
        freshnessTargetHours: nullableNumber,
        latencyMsP95: nullableNumber.describe("p95 of the day's successful semantic queries"),
        latencyTargetMs: nullableNumber,
        availabilityPercent: nullableNumber,
        checks: z.number().int(),
      }),
    ),
    loads: z.array(
      z.object({
        at: z.iso.datetime(),
        rows: z.number().int(),
        added: z.number().int(),
        changed: z.number().int(),
        rejected: z.number().int(),
        outcome: z.enum(["loaded", "rejected"]),
        qualityPassRate: nullableNumber.describe("Share of the quality rules passing in the check after the load, 0–100"),
      }),
    ),
  })
  .describe("Compliance over time: per day and per load");

export const purgeInputSchema = z
  .object({
    dryRun: z.boolean({ error: "dryRun must be true or false" }).default(true).describe("Count (and list a sample of) the records a purge would remove, removing nothing"),
  })
  .strict();

export const purgeResultSchema = z.object({
  dryRun: z.boolean(),
  /** Records older than retentionDays by event time. */
  expired: z.number().int().describe("Records older than retentionDays by their event time"),
  removed: z.number().int().describe("Records removed (0 on a dry run)"),
  sample: z.array(z.string()).describe("Keys of up to 20 of them"),
  cutoff: z.iso.datetime().describe("Records with an event time before this are expired"),
});

export type PurgeInput = z.infer<typeof purgeInputSchema>;
export type PurgeResult = z.infer<typeof purgeResultSchema>;
