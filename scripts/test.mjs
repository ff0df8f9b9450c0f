// `npm test`: the project's checks in order, stopping at the first failure,
// each with its duration (lint, typecheck, unit, build, integration, end-to-end).
// The build comes before the integration tests: the two-server test runs `npm start`.
import { spawnSync } from "node:child_process";

const steps = [
  ["lint", ["run", "lint"]],
  ["typecheck", ["run", "typecheck"]],
  ["test:unit", ["run", "test:unit"]],
  ["build", ["run", "build"]],
  ["test:integration", ["run", "test:integration"]],
  ["e2e", ["exec", "--", "playwright", "test"]],
];
const took = [];
const started = performance.now();
for (const [step, args] of steps) {
  const start = performance.now();
  console.log(`test: ── npm ${args.join(" ")}`);
  const { status } = spawnSync("npm", args, { stdio: "inherit" });
  took.push(`${step.padEnd(18)} ${((performance.now() - start) / 1000).toFixed(0).padStart(5)} s`);
  if (status !== 0) {
    console.log(`test: npm ${args.join(" ")} FAILED\n${took.map((line) => `test:   ${line}`).join("\n")}`);
    process.exit(status ?? 1);
  }
}
console.log(`test: durations\n${took.map((line) => `test:   ${line}`).join("\n")}\ntest: passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
