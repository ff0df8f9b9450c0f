/** Runs once when the Next.js server starts: resumes indexing interrupted by a restart. */
export async function register() {
  // NEXT_RUNTIME is not configuration but a constant Next.js inlines at build
  // time; testing it here (not through lib/env.ts) keeps the Node-only code
  // below out of the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { resumeIndexing } = await import("./lib/search/indexer");
  await resumeIndexing().catch((error: unknown) => console.error("Could not resume indexing:", error));
}
