// `npm test`: the project's checks in order, stopping at the first failure,
// each with its duration (lint, typecheck, unit, integration, end-to-end).
import { spawnSync } from "node:child_process";

const steps = ["lint", "typecheck", "test:unit", "test:integration", "test:e2e"];
const took = [];
const started = performance.now();
for (const step of steps) {
  const start = performance.now();
  console.log(`test: ── npm run ${step}`);
  const { status } = spawnSync("npm", ["run", step], { stdio: "inherit" });
  took.push(`${step.padEnd(18)} ${((performance.now() - start) / 1000).toFixed(0).padStart(5)} s`);
  if (status !== 0) {
    console.log(`test: npm run ${step} FAILED\n${took.map((line) => `test:   ${line}`).join("\n")}`);
    process.exit(status ?? 1);
  }
}
console.log(`test: durations\n${took.map((line) => `test:   ${line}`).join("\n")}\ntest: passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
