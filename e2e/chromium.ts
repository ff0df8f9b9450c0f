import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The Chromium the end-to-end tests drive, without a browser download (which
 * needs the internet): CHROMIUM_PATH when set, else the system's Chromium at
 * /usr/bin/chromium (Debian's `chromium` package), else the headless Chromium
 * that ships inside the npm package @sparticuz/chromium, unpacked once into
 * .cache/ (a few seconds on first use).
 */

export interface Browser {
  executablePath: string;
  args: string[];
  /** Where it came from, for the log. */
  source: string;
}

const SYSTEM_CHROMIUM = "/usr/bin/chromium";
/** No sandbox: CI runs as root. No GPU, and none of the background calls home. */
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export async function findChromium(cacheDir: string): Promise<Browser> {
  const configured = process.env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH is set to ${configured}, which does not exist`);
    return { executablePath: configured, args: ARGS, source: "CHROMIUM_PATH" };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: ARGS, source: SYSTEM_CHROMIUM };
  return packagedChromium(cacheDir);
}

async function packagedChromium(cacheDir: string): Promise<Browser> {
  const { default: chromium } = await import("@sparticuz/chromium");
  // Its package.json is not exported: read it beside the entry point (build/index.js).
  const entry = createRequire(import.meta.url).resolve("@sparticuz/chromium");
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8")) as { version: string };
  const dir = path.join(cacheDir, `sparticuz-chromium-${version}`);
  const executablePath = path.join(dir, "chromium");
  if (!existsSync(executablePath)) {
    // The package unpacks into os.tmpdir(): point that at a private folder,
    // then move the folder into place, so that an interrupted or concurrent
    // unpacking never leaves a half-written browser behind.
    const staging = `${dir}.${process.pid}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    try {
      await chromium.executablePath();
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another run moved its copy into place first: use that one.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(executablePath)) throw error;
    }
  }
  // Its own chromium.args are for serverless hosts (single process, web security off): not wanted here.
  return { executablePath, args: ARGS, source: `@sparticuz/chromium ${version}` };
}
