/**
 * `npm run load -- <domain>/<name> <file> [--url http://localhost:3000]`:
 * loads a records file too large for a browser upload, streamed.
 */
import nextEnv from "@next/env";
import { formatReport, parseLoadArgs, sendFile, USAGE, UsageError } from "../lib/cli/load-records";
import { env } from "../lib/env";

nextEnv.loadEnvConfig(process.cwd());

try {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    process.exit(0);
  }
  const args = parseLoadArgs(argv);
  const outcome = await sendFile(args, env().MESH_API_KEY);
  if (!outcome.ok) {
    console.error(`Load failed: HTTP ${outcome.status}: ${outcome.message}`);
    process.exit(1);
  }
  console.log(formatReport(args, outcome.report));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  // fetch() says only "fetch failed"; the reason (e.g. ECONNREFUSED) is its cause.
  const { message, cause } = error as Error & { cause?: Error };
  console.error(`Load failed: ${message}${cause ? ` (${cause.message})` : ""}`);
  process.exit(1);
}
