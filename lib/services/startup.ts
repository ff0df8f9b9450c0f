import { failInterruptedRuns } from "../db/inference";
import { indexMissingProducts } from "../search/discovery";
import { resumeIndexing } from "../search/indexer";

/** What the server does once when it starts (instrumentation.ts): background work a restart interrupted. */
export { failInterruptedRuns, indexMissingProducts, resumeIndexing };
