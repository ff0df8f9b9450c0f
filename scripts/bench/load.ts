import { randomUUID } from "node:crypto";
import { createReadStream, rmSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { CATALOG_PATH, productApiPath } from "../../lib/paths";
import { errorSummary, runClients, signInCookie, type Call, type RouteLatency } from "./clients";
import { record, type SizeContext } from "./context";
import { firstLines, productInput, readJson } from "./corpus";
import { MemorySampler, type PhaseMemory } from "./memory";
import { ensureBuilt, startApp, type AppServer } from "./server";
import { args, CACHE, count, fmt, log, seconds } from "./settings";
import { mean } from "./stats";

/**
 * The built app as `npm start` runs it (scripts/serve.ts: the embedded
 * database in the launcher process, Next.js in its child) on a fresh data
 * folder, with the size's records uploaded through the REST API. Measures
 * p50/p95 of the catalog, discovery and federated query reads from CLIENTS
 * concurrent clients (beside the p50 of each read from one client alone),
 * first with nothing else running, then while semantic
 * search indexes the product of all the size's records and an uploader sends
 * UPLOAD_RECORDS records to a second product again and again; and the
 * resident memory of the server's process tree (the sum of VmRSS) idle, while
 * and after the records are uploaded, and while indexing runs.
 */

const CLIENTS = 20;
const WINDOW_SECONDS = 30;
const MAX_REQUESTS = 20_000;
const UPLOAD_RECORDS = 3000;
const ALONE_RUNS = 5;
const ADMIN = { email: "load-admin@bench.local", password: randomUUID() };

type Phase = { latencies: RouteLatency[]; sent: number; loadAverage: number };

export async function loadSuite(ctx: SizeContext) {
  ensureBuilt("load");
  const dataDir = path.join(CACHE, `load-${ctx.size}-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startApp("load", "serve.ts", {
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    DEMO_DATA: "false",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // The clients are one user: measure latency, not the per-user limit of federated queries.
    QUERY_REQUESTS_PER_MINUTE: "100000",
  });
  const memory = new MemorySampler(server.pid);
  try {
    await measure(ctx, server, memory);
  } finally {
    memory.stop();
    await server.stop();
    if (!args.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(ctx: SizeContext, server: AppServer, memory: MemorySampler) {
  const base = server.url;
  memory.phase("idle");
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const idleMemory = memory.summary("idle")!;

  const cookie = await signInCookie(base, ADMIN);
  const json = (method: string, url: string, body?: unknown) =>
    fetch(base + url, { method, headers: { cookie, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const ok = async (response: Response, what: string) => {
    if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  await ok(await json("POST", "/api/domains", { name: ctx.product.domain, description: "Benchmark corpus" }), "POST /api/domains");
  const product = productInput(ctx.product);
  const uploads = productInput(ctx.product, "-uploads");
  for (const input of [product, uploads]) await ok(await json("POST", "/api/products", input), "POST /api/products");

  const upload = async (target: typeof product, body: ReadableStream) => {
    const response = await fetch(`${base}${productApiPath(target)}/records`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-ndjson" },
      body,
      duplex: "half",
    } as RequestInit);
    return (await ok(response, `POST ${productApiPath(target)}/records`)) as { accepted: number; rejectedTotal: number };
  };

  memory.phase("loading");
  log(`load: uploading ${count(ctx.size)} records through POST ${productApiPath(product)}/records`);
  const start = performance.now();
  const loaded = await upload(product, Readable.toWeb(createReadStream(ctx.recordsFile)) as ReadableStream);
  const uploadSeconds = seconds(start);
  if (loaded.accepted !== ctx.size) throw new Error(`Uploaded ${loaded.accepted} of ${ctx.size} records (${loaded.rejectedTotal} rejected)`);
  const loadingMemory = memory.summary("loading")!;
  memory.phase("loaded");
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const loadedMemory = memory.summary("loaded")!;

  const questions = readJson<{ question: string }[]>(path.join(ctx.corpusDir, "queries.json")).map((item) => item.question);
  let turn = 0;
  const question = () => questions[turn++ % questions.length]!;
  const calls: Call[] = [
    { route: `GET / (catalog page, redirected to ${CATALOG_PATH})`, run: () => fetch(`${base}/`, { headers: { cookie } }) },
    { route: "GET /api/products", run: () => fetch(`${base}/api/products?limit=24`, { headers: { cookie } }) },
    { route: "GET /api/discovery?q=…", run: () => fetch(`${base}/api/discovery?q=${encodeURIComponent(question())}`, { headers: { cookie } }) },
    { route: "POST /api/query", run: () => json("POST", "/api/query", { question: question() }) },
  ];
  const window = async (): Promise<Phase> => {
    const samples = [loadavg()[0]!];
    const timer = setInterval(() => samples.push(loadavg()[0]!), 5000);
    const result = await runClients(calls, { clients: CLIENTS, until: Date.now() + WINDOW_SECONDS * 1000, maxRequests: MAX_REQUESTS });
    clearInterval(timer);
    return { latencies: result.routes, sent: result.sent, loadAverage: mean(samples) };
  };

  // Each read once before the timed windows (the first discovery loads the model, the first query builds the value catalog),
  // then each ALONE_RUNS times by one client: the service time that the concurrent clients queue behind.
  for (const call of calls) await (await call.run()).arrayBuffer();
  const alone = (await runClients(calls, { clients: 1, until: Infinity, maxRequests: ALONE_RUNS * calls.length })).routes;
  log(`load: ${CLIENTS} clients for ${WINDOW_SECONDS} s, nothing else running`);
  const idle = await window();

  log(`load: enabling semantic search on ${count(ctx.size)} records; uploading ${count(UPLOAD_RECORDS)} records in a loop`);
  await ok(await json("PUT", `${productApiPath(product)}/capabilities/semantic-search`, { fields: ctx.product.semanticSearchFields }), "enable semantic search");
  memory.phase("indexing");
  const until = Date.now() + WINDOW_SECONDS * 1000;
  const uploader = (async () => {
    const times: number[] = [];
    while (Date.now() < until) {
      const began = performance.now();
      const report = await upload(uploads, Readable.toWeb(Readable.from(firstLines(ctx.recordsFile, UPLOAD_RECORDS))) as ReadableStream);
      if (report.accepted !== Math.min(UPLOAD_RECORDS, ctx.size)) throw new Error(`Upload under load stored ${report.accepted} records`);
      times.push(seconds(began));
    }
    return times;
  })();
  const [underLoad, uploadTimes] = await Promise.all([window(), uploader]);
  const indexing = (await ok(await json("GET", `${productApiPath(product)}/capabilities/semantic-search`), "semantic search status")) as {
    indexed: number;
    status: string;
  };
  const indexingMemory = memory.summary("indexing")!;

  const loadNote = (phase: Phase) => `${count(phase.sent)} requests in ${WINDOW_SECONDS} s; load average ${fmt(phase.loadAverage, 1)}`;
  record(ctx, {
    suite: "load",
    metric: "Records upload through the API (POST records, NDJSON)",
    value: `${fmt(ctx.size / uploadSeconds, 0)} records/s`,
    note: `${count(ctx.size)} records in ${fmt(uploadSeconds)} s, into the server's fresh embedded database`,
    data: { records: ctx.size, seconds: uploadSeconds },
  });
  for (const [index, route] of idle.latencies.entries()) {
    const loaded = underLoad.latencies[index]!;
    record(ctx, {
      suite: "load",
      metric: `${route.route}, p50 / p95: idle → under load`,
      value: `${fmt(route.p50Ms, 0)} / ${fmt(route.p95Ms, 0)} ms → ${fmt(loaded.p50Ms, 0)} / ${fmt(loaded.p95Ms, 0)} ms`,
      note:
        `${CLIENTS} clients; idle ${route.requests} requests, errors ${errorSummary(route.errors)}; under load ${loaded.requests}, errors ${errorSummary(loaded.errors)}; ` +
        `one client alone: p50 ${fmt(alone[index]!.p50Ms, 0)} ms over ${alone[index]!.requests}`,
      data: { idle: route, underLoad: loaded, alone: alone[index] },
    });
  }
  record(ctx, {
    suite: "load",
    metric: "Load during the two windows",
    value: `idle: ${loadNote(idle)}; under load: ${loadNote(underLoad)}`,
    note: `under load: ${uploadTimes.length} uploads of ${count(UPLOAD_RECORDS)} records (${fmt(mean(uploadTimes))} s each on average); indexing embedded ${count(indexing.indexed)} of ${count(ctx.size)} records by the window's end (${indexing.status})`,
    data: { idle: { sent: idle.sent, loadAverage: idle.loadAverage }, underLoad: { sent: underLoad.sent, loadAverage: underLoad.loadAverage }, uploadTimes, indexed: indexing.indexed },
  });
  const phases: [string, PhaseMemory][] = [
    ["idle (started, no request yet)", idleMemory],
    [`uploading ${count(ctx.size)} records`, loadingMemory],
    [`${count(ctx.size)} records loaded (5 s after the upload)`, loadedMemory],
    ["indexing + uploads + 20 clients", indexingMemory],
  ];
  for (const [label, phase] of phases) {
    record(ctx, {
      suite: "load",
      metric: `Server RSS, ${label}`,
      value: `mean ${fmt(phase.meanMiB, 0)} MiB, peak ${fmt(phase.maxMiB, 0)} MiB`,
      note: `sum of the npm start process tree's VmRSS, ${phase.samples} samples 0.5 s apart; at the peak ${phase.atPeak.map((info) => `${info.name} ${fmt(info.rssMiB, 0)} MiB`).join(" + ")}`,
      data: { ...phase },
    });
  }
  const summaryRoute = (route: RouteLatency, loaded: RouteLatency, single: RouteLatency) => ({
    route: route.route,
    aloneP50Ms: round(single.p50Ms),
    idleP50Ms: round(route.p50Ms),
    idleP95Ms: round(route.p95Ms),
    loadP50Ms: round(loaded.p50Ms),
    loadP95Ms: round(loaded.p95Ms),
    idleErrors: Object.values(route.errors).reduce((a, b) => a + b, 0),
    loadErrors: Object.values(loaded.errors).reduce((a, b) => a + b, 0),
  });
  ctx.summary.load = {
    clients: CLIENTS,
    windowS: WINDOW_SECONDS,
    routes: idle.latencies.map((route, index) => summaryRoute(route, underLoad.latencies[index]!, alone[index]!)),
    idleLoadAverage: round(idle.loadAverage),
    loadLoadAverage: round(underLoad.loadAverage),
    uploadRecordsPerS: round(ctx.size / uploadSeconds),
    uploadsUnderLoad: uploadTimes.length,
    indexedUnderLoad: indexing.indexed,
  };
  ctx.summary.memory = {
    records: ctx.size,
    idleMiB: round(idleMemory.meanMiB),
    loadingPeakMiB: round(loadingMemory.maxMiB),
    loadedMiB: round(loadedMemory.meanMiB),
    indexingMeanMiB: round(indexingMemory.meanMiB),
    indexingPeakMiB: round(indexingMemory.maxMiB),
  };
}

const round = (value: number) => Number(value.toFixed(1));
