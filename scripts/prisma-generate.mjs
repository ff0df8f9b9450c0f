// Runs `prisma generate` without network access.
// The Prisma CLI downloads its schema engine before any command, even
// `generate`, which never runs it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at an
// existing executable skips that download; an engine the user configured wins.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, "generate"], {
  stdio: "inherit",
  env: {
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    ...process.env,
  },
});
process.exit(result.status ?? 1);
