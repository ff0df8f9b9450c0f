import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Tests live next to the code they test:
 * - `*.test.ts`: unit tests, no database, fast;
 * - `*.integration.test.ts`: against real databases (PGlite in-process and
 *   over the wire protocol; also TEST_DATABASE_URL when set).
 */
const ignored = [...configDefaults.exclude, "**/.next/**", "e2e/**", "**/.data/**", "**/.cache/**", "**/.ci/**"];

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
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
