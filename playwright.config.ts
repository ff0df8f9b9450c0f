import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { findChromium } from "./e2e/chromium";
import { e2eDatabaseUrl } from "./e2e/postgres";

/**
 * End-to-end tests against the built app (`next build` first; `npm run test:e2e`
 * does both) served by `npm start` on a fresh database with the demo data:
 * the embedded one by default, or with E2E_DATABASE=postgres a Postgres
 * database made anew on the server of TEST_DATABASE_URL (`npm run test:e2e:postgres`).
 * The browser is a Chromium found on the machine or shipped in an npm package
 * (e2e/chromium.ts): Playwright's own browser download needs the internet.
 */
const port = Number(process.env.E2E_PORT ?? 3210);
const cache = path.resolve(".cache");
const dataDir = path.join(cache, "e2e-data");
const onPostgres = process.env.E2E_DATABASE === "postgres";
const browser = await findChromium(cache);
console.log(`e2e: ${browser.source}; database: ${onPostgres ? "Postgres (TEST_DATABASE_URL's server)" : "embedded"}`);

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  timeout: 60_000,
  // CI shares 2 cores with the server, its models and the browser: a first server action may take seconds.
  expect: { timeout: 15_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], launchOptions: { executablePath: browser.executablePath, args: browser.args } },
    },
  ],
  webServer: {
    // A fresh database each run: the demo data is seeded on first start (embedded) or by the reset.
    command: onPostgres ? "tsx --conditions=react-server e2e/postgres.ts reset && npm start" : `rm -rf "${dataDir}" && npm start`,
    url: `http://127.0.0.1:${port}/api/openapi.json`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATA_DIR: dataDir,
      DEMO_DATA: "true",
      ...(onPostgres ? { DATABASE_URL: e2eDatabaseUrl() } : {}),
      // Every spec signs in from 127.0.0.1: more than the default 10 sign-ins a minute per address.
      SIGN_IN_ATTEMPTS_PER_MINUTE: "100",
      XDG_CONFIG_HOME: path.join(cache, "xdg-config"),
      XDG_CACHE_HOME: path.join(cache, "xdg-cache"),
    },
  },
});
