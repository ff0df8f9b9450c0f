/**
 * `npm run import -- <file.yaml> [<file.yaml>] [--dry-run] [--domain d] [--url http://localhost:3000]`:
 * imports ODPS/ODCS YAML kept in git as a data product.
 */
import { formatFailure, formatImport, parseImportArgs, sendImport, USAGE } from "../lib/cli/import-contracts";
import { runCli } from "../lib/cli/run";
import { env } from "../lib/env";

await runCli("Import", USAGE, async (argv) => {
  const outcome = await sendImport(parseImportArgs(argv), env().MESH_API_KEY);
  if (!outcome.ok) {
    console.error(formatFailure(outcome));
    return 1;
  }
  console.log(formatImport(outcome.result));
  return outcome.result.conflicts.length ? 1 : 0;
});
