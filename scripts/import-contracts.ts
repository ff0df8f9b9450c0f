/**
 * `npm run import -- <file.yaml> [<file.yaml>] [--dry-run] [--domain d] [--url http://localhost:3000]`:
 * imports ODPS/ODCS YAML kept in git as a data product.
 */
import nextEnv from "@next/env";
import { formatFailure, formatImport, parseImportArgs, sendImport, USAGE } from "../lib/cli/import-contracts";
import { UsageError } from "../lib/cli/load-records";
import { env } from "../lib/env";

nextEnv.loadEnvConfig(process.cwd());

try {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    process.exit(0);
  }
  const outcome = await sendImport(parseImportArgs(argv), env().MESH_API_KEY);
  if (!outcome.ok) {
    console.error(formatFailure(outcome));
    process.exit(1);
  }
  console.log(formatImport(outcome.result));
  if (outcome.result.conflicts.length) process.exit(1);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const { message, cause } = error as Error & { cause?: Error };
  console.error(`Import failed: ${message}${cause ? ` (${cause.message})` : ""}`);
  process.exit(1);
}
