const log = (message: string) => console.log(`[mesh-portal] ${message}`);

/**
 * Runs once when the Next.js server starts (in development, once the first
 * page has been served, so that its compile has the cores): resumes indexing interrupted by a
 * restart (or left by a dead server sharing the database), closes inference
 * runs it interrupted, and schedules that sweep, indexes for discovery any
 * product that is not yet, and schedules the health checks, webhook retries
 * and the audit entries of expired access grants.
 */
export async function register() {
  // NEXT_RUNTIME is not configuration but a constant Next.js inlines at build
  // time; testing it here (not through lib/env.ts) keeps the Node-only code
  // below out of the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Not awaited: Next.js serves no request, and in development compiles no page, until register()
  // returns, while the embedded database may still be starting (its connections wait until it is ready).
  void (async () => {
    const { waitForFirstPage, sweepJobs, scheduleJobSweeps, indexMissingProducts, scheduleHealthChecks, scheduleWebhookDeliveries, scheduleAccessExpiries } =
      await import("./lib/services/startup");
    const waited = await waitForFirstPage();
    if (waited === "served") log("the first page was served: background work starts");
    if (waited === "timed out") log("no page was asked for within a minute: background work starts");
    // Indexing no server holds resumes; an inference run does not (it calls models, maybe paid ones): it is marked failed.
    const indexing = await sweepJobs().catch((error: unknown) => console.error("Could not pick up interrupted background jobs:", error));
    if (indexing?.products) {
      const startedAt = performance.now();
      log(`embedding the records of ${indexing.products} products for semantic search in the background (each product's page shows its progress)…`);
      void indexing.ended.then(() => log(`semantic search indexing ended in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`));
    }
    scheduleJobSweeps();
    scheduleHealthChecks();
    scheduleWebhookDeliveries();
    scheduleAccessExpiries();
    const discovered = await indexMissingProducts().catch((error: unknown) => console.error("Could not index products for discovery:", error));
    if (discovered) log(`indexed ${discovered} products for discovery`);
  })();
}
