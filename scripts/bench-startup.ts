/**
 * The first start of a fresh clone: `npm run dev` until its first pages are served.
 *
 *   flock /tmp/bench.lock npm run bench:startup                 # 3 runs of HEAD
 *   npm run bench:startup -- --runs 5 --ref main --public
 *
 * Each run clones this repository's commit (HEAD, or --ref: uncommitted changes
 * are not measured) into a temporary folder, links node_modules in as
 * `npm install` would have left them (hard links of this checkout's, then the
 * clone's own postinstall; not timed), and times `npm run dev` there on
 * a free port with a new DATA_DIR:
 *   first page  GET / (redirects followed) answers 200 with the demo data in
 *               it: the sign-in page listing the demo accounts, as a visitor
 *               first sees it (with --public, PUBLIC_READ=true: the catalog
 *               listing every demo product)
 *   catalog     then, signed in as the demo analyst, GET / answers 200 with
 *               every demo product listed
 * beside the CPU-seconds of the whole process tree at each, the load average,
 * and every line of the console with the time since the start it appeared at.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEMO_ACCOUNTS } from "../lib/auth/demo";
import { freePort } from "../lib/net/free-port";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    ref: { type: "string", default: "HEAD" },
    public: { type: "boolean", default: false },
    timeout: { type: "string", default: "300" },
  },
});
const TIMEOUT_MS = Number(args.timeout) * 1000;
const ANALYST = DEMO_ACCOUNTS.find((account) => account.email.startsWith("analyst"))!;
const DEMO_TITLES = (JSON.parse(readFileSync(path.join(ROOT, "prisma", "seed", "demo-products.json"), "utf8")) as { products: { title: string }[] }).products.map(
  (product) => product.title,
);
const TICKS_PER_SECOND = 100;

const git = (...gitArgs: string[]) => execFileSync("git", gitArgs, { cwd: ROOT, encoding: "utf8" }).trim();
const load = () => loadavg().map((value) => value.toFixed(1)).join(" ");

/** CPU-seconds of `root` and every process below it (running, or waited for by one that runs), by the script each runs. */
function treeCpuSeconds(root: number): { total: number; byProcess: Record<string, number> } {
  const stats = new Map<number, { parent: number; ticks: number; name: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      const script = command.find((part) => /\.(ts|mjs|js)$/.test(part));
      // After the name: state, ppid, … utime (14th field of the line), stime, cutime, cstime.
      const ticks = fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
      stats.set(Number(entry), { parent: Number(fields[1]), ticks, name: script ? path.basename(script) : path.basename(command[0] ?? "?") });
    } catch {
      // The process ended while the folder was read.
    }
  }
  const inTree = (pid: number): boolean => pid === root || (pid > 1 && stats.has(pid) && inTree(stats.get(pid)!.parent));
  const byProcess: Record<string, number> = {};
  for (const [pid, { ticks, name }] of stats) if (inTree(pid)) byProcess[name] = (byProcess[name] ?? 0) + ticks / TICKS_PER_SECOND;
  return { total: Object.values(byProcess).reduce((sum, value) => sum + value, 0), byProcess };
}

const cpuLine = (label: string, at: number, cpu: ReturnType<typeof treeCpuSeconds>) =>
  `${at.toFixed(1).padStart(5)} s  (bench) ${label}: ${cpu.total.toFixed(1)} CPU-s (${Object.entries(cpu.byProcess)
    .map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`)
    .join(", ")})`;

async function get(url: string, cookie?: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url, { headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

/** Asks for `url` until `ready` holds of a 200's body (a request waits as long as the server takes to answer it). */
async function poll(url: string, ready: (body: string) => boolean, deadline: number, alive: () => boolean, cookie?: string): Promise<void> {
  for (;;) {
    if (!alive()) throw new Error("npm run dev exited");
    const response = await get(url, cookie);
    if (response?.status === 200 && ready(response.body)) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 with the demo data in time (last: ${response?.status ?? "no answer"})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Run {
  loadBefore: string;
  loadAfter: string;
  firstPageSeconds: number;
  firstPageCpuSeconds: number;
  catalogSeconds: number;
  catalogCpuSeconds: number;
  console: string[];
}

const listsEveryProduct = (body: string) => DEMO_TITLES.every((title) => body.includes(title));

async function measure(commit: string, work: string): Promise<Run> {
  const clone = path.join(work, "clone");
  execFileSync("git", ["clone", "--quiet", "--shared", "--no-checkout", ROOT, clone]);
  execFileSync("git", ["-C", clone, "checkout", "--quiet", "--detach", commit]);
  execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(clone, "node_modules")]);
  // What npm install's postinstall leaves in node_modules is made by the clone's own postinstall.
  rmSync(path.join(clone, "node_modules", ".cache", "mesh-portal"), { recursive: true, force: true });
  execFileSync("npm", ["run", "--silent", "postinstall"], { cwd: clone, stdio: "ignore" });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    DATA_DIR: path.join(work, "data"),
    NEXT_TELEMETRY_DISABLED: "1",
    PUBLIC_READ: args.public ? "true" : "false",
  };
  for (const name of ["DATABASE_URL", "DEMO_DATA", "BETTER_AUTH_SECRET", "NODE_ENV"]) delete environment[name];
  const loadBefore = load();
  const startedAt = performance.now();
  const elapsed = () => (performance.now() - startedAt) / 1000;
  const child = spawn("npm", ["run", "--silent", "dev"], { cwd: clone, env: environment, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop()!;
      for (const line of parts) if (line.trim()) lines.push(`${elapsed().toFixed(1).padStart(5)} s  ${line}`);
    });
  }
  const alive = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    const deadline = Date.now() + TIMEOUT_MS;
    await poll(`${base}/`, args.public ? listsEveryProduct : (body) => body.includes(ANALYST.email), deadline, alive);
    const firstPageSeconds = elapsed();
    const firstPageCpu = treeCpuSeconds(child.pid!);
    lines.push(cpuLine("first page served", firstPageSeconds, firstPageCpu));
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: ANALYST.email, password: ANALYST.password }),
    });
    if (!signIn.ok) throw new Error(`Signing in as ${ANALYST.email} failed: ${signIn.status}`);
    const cookie = signIn.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
    await poll(`${base}/`, listsEveryProduct, deadline, alive, cookie);
    const catalogSeconds = elapsed();
    const catalogCpu = treeCpuSeconds(child.pid!);
    lines.push(cpuLine("catalog served, signed in", catalogSeconds, catalogCpu));
    return {
      loadBefore,
      loadAfter: load(),
      firstPageSeconds,
      firstPageCpuSeconds: firstPageCpu.total,
      catalogSeconds,
      catalogCpuSeconds: catalogCpu.total,
      console: lines,
    };
  } finally {
    if (alive()) process.kill(-child.pid!, "SIGTERM");
    await exited;
  }
}

const commit = git("rev-parse", args.ref);
if (args.ref === "HEAD" && git("status", "--porcelain", "--untracked-files=no")) console.error("note: uncommitted changes are not measured (the clone is of HEAD)");
console.error(`startup of ${git("log", "-1", "--format=%h %s", commit).slice(0, 100)}${args.public ? " (PUBLIC_READ=true)" : ""}`);
const runs: Run[] = [];
for (let index = 0; index < Number(args.runs); index++) {
  const work = mkdtempSync(path.join(tmpdir(), "mesh-portal-startup-"));
  try {
    const run = await measure(commit, work);
    runs.push(run);
    console.error(`\nrun ${index + 1} (load average ${run.loadBefore} before, ${run.loadAfter} after):\n${run.console.join("\n")}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const fmt = (value: number) => value.toFixed(1);
console.log(`\n| run | load average before / after | first page (s) | CPU-s | catalog signed in (s) | CPU-s |\n|---|---|---|---|---|---|`);
runs.forEach((run, index) =>
  console.log(`| ${index + 1} | ${run.loadBefore} / ${run.loadAfter} | ${fmt(run.firstPageSeconds)} | ${fmt(run.firstPageCpuSeconds)} | ${fmt(run.catalogSeconds)} | ${fmt(run.catalogCpuSeconds)} |`),
);
const results = path.join(ROOT, ".cache", "bench");
mkdirSync(results, { recursive: true });
writeFileSync(path.join(results, `startup-${new Date().toISOString().replace(/[:.]/g, "-")}.json`), JSON.stringify({ commit, public: args.public, runs }, null, 2));
