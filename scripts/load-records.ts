/**
 * `npm run load -- <domain>/<name> <file> [--url http://localhost:3000]`:
 * loads a records file too large for a browser upload, streamed.
 */
import { formatReport, parseLoadArgs, sendFile, USAGE } from "../lib/cli/load-records";
import { runCli } from "../lib/cli/run";
import { env } from "../lib/env";

await runCli("Load", USAGE, async (argv) => {
  const args = parseLoadArgs(argv);
  const outcome = await sendFile(args, env().MESH_API_KEY);
  if (!outcome.ok) {
    console.error(`Load failed: HTTP ${outcome.status}: ${outcome.message}`);
    return 1;
  }
  console.log(formatReport(args, outcome.report));
  return 0;
});
