import { failInterruptedRuns } from "../db/inference";
import { env } from "../env";
import { firstPageServed } from "../runtime/first-page";
import { every } from "../runtime/schedule";
import { indexMissingProducts } from "../search/discovery";
import { resumeIndexing } from "../search/indexer";
import { recordExpiries } from "./access";
import { runDueChecks } from "./health";
import { deliverDueWebhooks } from "./webhooks";

/** How long a development server's background work waits for its first page. */
const FIRST_PAGE_WAIT_MS = 60_000;

/**
 * In development, waits until the first page is served (or a minute), so the
 * background work below does not slow the compile of that page; elsewhere
 * returns at once.
 */
export async function waitForFirstPage(): Promise<"served" | "timed out" | "not waiting"> {
  if (env().NODE_ENV !== "development") return "not waiting";
  return (await firstPageServed(FIRST_PAGE_WAIT_MS)) ? "served" : "timed out";
}

/** What the server does once when it starts (instrumentation.ts): discovery entries of products that have none. */
export { indexMissingProducts };

/**
 * Background jobs that no server holds (interrupted by a restart, or by the
 * death of another server sharing the database): indexing resumes here, an
 * inference run is marked failed. At start, then every half lease, so that a
 * dead server's jobs move on within one and a half JOB_LEASE_SECONDS.
 */
export async function sweepJobs(): Promise<Awaited<ReturnType<typeof resumeIndexing>>> {
  const indexing = await resumeIndexing();
  await failInterruptedRuns(env().JOB_LEASE_SECONDS);
  return indexing;
}

export function scheduleJobSweeps(): void {
  every("job-sweeps", env().JOB_LEASE_SECONDS * 500, sweepJobs);
}

/** Checks every product's health on HEALTH_CHECK_INTERVAL_MINUTES; servers sharing a database split the products. */
export function scheduleHealthChecks(): void {
  const minutes = env().HEALTH_CHECK_INTERVAL_MINUTES;
  // A round every minute at most: each claims only the products that are due.
  if (minutes > 0) every("health-checks", 60_000, () => runDueChecks());
}

/** Retries of webhook deliveries: due ones are sent every 15 seconds; servers sharing a database split them. */
export function scheduleWebhookDeliveries(): void {
  every("webhook-deliveries", 15_000, () => deliverDueWebhooks());
}

/** Writes each grant's expiry to its product's audit log within a minute of it (grants stop counting at their end regardless). */
export function scheduleAccessExpiries(): void {
  every("access-expiries", 60_000, () => recordExpiries());
}
