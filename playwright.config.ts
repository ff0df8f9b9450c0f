import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests against the built app (`next build` first; `npm run test:e2e`
 * does both) served by `npm start` on a fresh embedded database with demo data,
 * in Debian's Chromium (Playwright's own browser download needs the internet).
 */
const port = Number(process.env.E2E_PORT ?? 3210);
const cache = path.resolve(".cache");
const dataDir = path.join(cache, "e2e-data");

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          // CHROMIUM_PATH: another Chromium (e.g. @sparticuz/chromium's) where Debian's is not installed.
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        },
      },
    },
  ],
  webServer: {
    // A fresh database each run: the demo data is seeded on first start.
    command: `rm -rf "${dataDir}" && npm start`,
    url: `http://127.0.0.1:${port}/api/openapi.json`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATA_DIR: dataDir,
      DEMO_DATA: "true",
      // Every spec signs in from 127.0.0.1: more than the default 10 sign-ins a minute per address.
      SIGN_IN_ATTEMPTS_PER_MINUTE: "100",
      XDG_CONFIG_HOME: path.join(cache, "xdg-config"),
      XDG_CACHE_HOME: path.join(cache, "xdg-cache"),
    },
  },
});
