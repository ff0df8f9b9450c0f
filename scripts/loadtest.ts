/**
 * `npm run loadtest`: does the portal stay responsive while uploads stall?
 *
 * Starts the built app (`npm run build` first) on 127.0.0.1 with a fresh
 * embedded database and the demo data, then for 30 s runs 20 concurrent
 * clients on the catalog, discovery and the federated query while two hostile
 * uploads run: one that sends a record every 200 ms, and one that sends its
 * headers and then nothing. Prints p50/p95/max and errors per route, and what
 * became of the uploads. Bounded: 30 s, at most 20,000 requests, loopback only.
 *
 *   npm run loadtest -- [--seconds 30] [--clients 20] [--port 3460]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { errorSummary, runClients, signInCookie, type Call } from "./bench/clients";

const HOST = "127.0.0.1";
const MAX_REQUESTS = 20_000;

function option(name: string, fallback: number, max: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  return value;
}

const seconds = option("seconds", 30, 120);
const clients = option("clients", 20, 100);
const port = option("port", 3460, 65535);
const base = `http://${HOST}:${port}`;
const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".cache", "loadtest-data");

function startServer(): ChildProcess {
  rmSync(dataDir, { recursive: true, force: true });
  return spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts", "serve.ts"), "start"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME: HOST,
      DATA_DIR: dataDir,
      DEMO_DATA: "true",
      DATABASE_URL: "",
      // The load comes from one user: measure latency, not the per-user limits.
      QUERY_REQUESTS_PER_MINUTE: "100000",
      UPLOAD_IDLE_SECONDS: "30",
    },
  });
}

async function waitForServer(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/openapi.json`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The portal did not answer on ${base} within 180 s (did you run npm run build?)`);
}

const QUESTIONS = ["customers charged twice", "broken device refunds", "senior engineering jobs in Berlin", "machine downtime on line 3"];
const question = () => QUESTIONS[Math.floor(Math.random() * QUESTIONS.length)]!;
const calls = (cookie: string): Call[] => [
  { route: "GET /api/products", run: () => fetch(`${base}/api/products?limit=24`, { headers: { cookie } }) },
  { route: "GET /api/discovery", run: () => fetch(`${base}/api/discovery?q=${encodeURIComponent(question())}`, { headers: { cookie } }) },
  {
    route: "POST /api/query",
    run: () =>
      fetch(`${base}/api/query`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ question: question() }),
      }),
  },
];

/** An upload that sends one NDJSON record every `everyMs` until `until`, or (idle) nothing after its headers. */
function hostileUpload(cookie: string, mode: "slow" | "idle", until: number): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    // Bounded: an upload the server never ends is given up 45 s after the load.
    const giveUp = setTimeout(() => {
      upload.destroy();
      resolve({ status: 0, body: "no answer: the server kept the upload open", ms: Date.now() - started });
    }, until - started + 45_000);
    const upload = httpRequest(`${base}/api/products/customer-support/support-tickets/records`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-ndjson", "transfer-encoding": "chunked" },
    });
    upload.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk.slice(0, 500)));
      response.on("end", () => {
        clearTimeout(giveUp);
        resolve({ status: response.statusCode ?? 0, body: body.slice(0, 300), ms: Date.now() - started });
      });
    });
    upload.on("error", (error) => {
      clearTimeout(giveUp);
      resolve({ status: 0, body: error.message, ms: Date.now() - started });
    });
    upload.flushHeaders();
    if (mode === "idle") return;
    let n = 0;
    const timer = setInterval(() => {
      if (Date.now() >= until) {
        clearInterval(timer);
        upload.end();
        return;
      }
      upload.write(`${JSON.stringify({
        ticket_id: `LOAD-${n++}`,
        opened_at: new Date().toISOString(),
        channel: "email",
        subject: "load test",
        priority: "low",
        product_area: "billing",
        resolved: false,
      })}\n`);
    }, 200);
  });
}

async function main() {
  const server = startServer();
  const stop = () => server.kill("SIGTERM");
  process.on("SIGINT", () => {
    stop();
    process.exit(130);
  });
  try {
    await waitForServer(Date.now() + 180_000);
    const cookie = await signInCookie(base, { email: "owner@demo.local", password: "demo-owner-pass" });
    const end = Date.now() + seconds * 1000;
    const uploads = [hostileUpload(cookie, "slow", end - 2_000), hostileUpload(cookie, "idle", end)];
    const { sent, routes } = await runClients(calls(cookie), { clients, until: end, maxRequests: MAX_REQUESTS });
    console.log(`\n${clients} clients for ${seconds} s on ${base}, ${sent} requests, while a slow and an idle upload ran\n`);
    console.log("route                 requests     p50 ms     p95 ms     max ms   errors");
    const fmt = (value: number) => value.toFixed(0).padStart(10);
    for (const route of routes) {
      console.log(`${route.route.padEnd(20)}${String(route.requests).padStart(10)} ${fmt(route.p50Ms)} ${fmt(route.p95Ms)} ${fmt(route.maxMs)}   ${errorSummary(route.errors)}`);
    }
    const [slow, idle] = await Promise.all(uploads);
    console.log(`\nslow upload (a record every 200 ms): ${slow!.status} after ${(slow!.ms / 1000).toFixed(1)} s ${slow!.body}`);
    console.log(`idle upload (headers, then nothing): ${idle!.status} after ${(idle!.ms / 1000).toFixed(1)} s ${idle!.body}`);
  } finally {
    stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
