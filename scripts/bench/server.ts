import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../lib/net/free-port";
import { args, CACHE, log, ROOT } from "./settings";

/** The built app as the suites that measure it over HTTP start it (pages, load). */

export interface AppServer {
  url: string;
  /** The process started here: the root of the server's process tree. */
  pid: number;
  stop(): Promise<void>;
}

/** Builds the app unless .next holds a build (always with --build). */
export function ensureBuilt(suite: string) {
  if (!args.build && existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    log(`${suite}: using the build in .next (${readFileSync(path.join(ROOT, ".next", "BUILD_ID"), "utf8").trim()}); --build rebuilds it`);
    return;
  }
  log(`${suite}: next build`);
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: ROOT,
    stdio: ["ignore", 2, 2],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

/**
 * Starts `script` (scripts/next-server.ts, or scripts/serve.ts as `npm start`
 * runs it) with `start` on a free port of 127.0.0.1 and waits until it answers.
 */
export async function startApp(
  suite: string,
  script: "next-server.ts" | "serve.ts",
  extraEnv: Record<string, string>,
): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const conditions = script === "serve.ts" ? ["--conditions=react-server"] : [];
  const child = spawn(process.execPath, [...conditions, "--import", "tsx", path.join(ROOT, "scripts", script), "start"], {
    cwd: ROOT,
    stdio: ["ignore", 2, 2],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      XDG_CONFIG_HOME: path.join(CACHE, "xdg-config"),
      XDG_CACHE_HOME: path.join(CACHE, "xdg-cache"),
      ...extraEnv,
    },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Not left behind when the bench fails.
  const orphan = () => child.kill("SIGTERM");
  process.once("exit", orphan);
  const stop = async () => {
    process.off("exit", orphan);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 180_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`The app server exited with code ${child.exitCode}`);
      const ready = await fetch(`${url}/api/openapi.json`).then((response) => response.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error("The app server did not answer within 3 minutes");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log(`${suite}: app server on ${url}`);
  return { url, pid: child.pid!, stop };
}
