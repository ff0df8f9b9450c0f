import { env } from "./lib/env";

/** Runs once when the Next.js server starts: resumes indexing interrupted by a restart. */
export async function register() {
  if (env().NEXT_RUNTIME !== "nodejs") return;
  const { resumeIndexing } = await import("./lib/search/indexer");
  await resumeIndexing().catch((error: unknown) => console.error("Could not resume indexing:", error));
}
