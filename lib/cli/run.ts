import nextEnv from "@next/env";

/** What the portal's command-line clients share: usage errors, --help, exit codes. */

export class UsageError extends Error {}

/**
 * Runs a client: `--help` prints `usage`; `main` returns the exit code (0
 * done, 1 refused). A UsageError exits with 2 and the usage, any other error
 * with 1 and its cause (fetch() says only "fetch failed"; the reason, e.g.
 * ECONNREFUSED, is its cause). `.env` is read first, as the app reads it.
 */
export async function runCli(what: string, usage: string, main: (argv: string[]) => Promise<number>): Promise<never> {
  nextEnv.loadEnvConfig(process.cwd());
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(usage);
    process.exit(0);
  }
  try {
    process.exit(await main(argv));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage}`);
      process.exit(2);
    }
    const { message, cause } = error as Error & { cause?: Error };
    console.error(`${what} failed: ${message}${cause ? ` (${cause.message})` : ""}`);
    process.exit(1);
  }
}
