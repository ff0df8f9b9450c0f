import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Unit tests live next to the code they test; tests that drive the route
 * handlers and server actions, and the test helpers, live in tests/:
 * - `*.test.ts`: unit tests, no database, fast;
 * - `*.integration.test.ts`: against real databases (PGlite in-process and
 *   over the wire protocol; also TEST_DATABASE_URL when set).
 */
const ignored = [...configDefaults.exclude, "**/.next/**", "e2e/**", "**/.data/**", "**/.cache/**", "**/.ci/**"];

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // lib/db starts with `import "server-only"`, which only Next.js's server bundles resolve to an empty module.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    setupFiles: ["./vitest.setup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...ignored, "**/*.integration.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: ignored,
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
