import { loadavg } from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { findChromium } from "../../e2e/chromium";
import { createPasswordUser } from "../../lib/auth/users";
import { catalogPath, CATALOG_PATH, CHAT_PATH, productPath, SIGN_IN_PATH } from "../../lib/paths";
import { record, type SizeContext } from "./context";
import { readJson } from "./corpus";
import { startApp, ensureBuilt } from "./server";
import { count, fmt, ROOT, WARMUP } from "./settings";
import { summarize } from "./stats";
import { ensureLoaded } from "./steps";

/**
 * The pages as a browser gets them from the built app (`next build`, run here
 * unless .next holds a build, or with --build), served by the app's own
 * server on this size's database: the compressed JavaScript each page's first
 * load transfers until its load event (from the browser's network log, cold
 * cache; what the page's links prefetch afterwards is told apart), its largest
 * contentful paint with the CPU slowed 4× (Chrome DevTools Protocol), and the
 * server time of the product page holding all the size's records.
 */

const CPU_SLOWDOWN = 4;
const LOADS = 3;
const SERVER_RUNS = 20;
const ANALYST = { email: "analyst@bench.local", password: "bench-analyst-pass" };
const TARGETS: Record<string, number> = { catalog: 110, chat: 170 };

interface PageDef {
  name: string;
  path: string;
  signedIn: boolean;
}

export async function pagesSuite(ctx: SizeContext) {
  ensureBuilt("pages");
  await ensureLoaded(ctx);
  await createPasswordUser({ ...ANALYST, name: "Bench analyst", role: "member" });
  const question = readJson<{ question: string }[]>(path.join(ctx.corpusDir, "queries.json"))[0]!.question;
  const pages: PageDef[] = [
    { name: "sign-in", path: SIGN_IN_PATH, signedIn: false },
    { name: "catalog", path: CATALOG_PATH, signedIn: true },
    { name: "search", path: catalogPath({ q: question, mode: "meaning" }), signedIn: true },
    { name: "product", path: productPath(ctx.product), signedIn: true },
    { name: "chat", path: CHAT_PATH, signedIn: true },
  ];
  const server = await startApp("pages", "next-server.ts", { DATABASE_URL: ctx.databaseUrl!, DATABASE_POOL_MAX: "1" });
  const executable = await findChromium(path.join(ROOT, ".cache"));
  const browser = await chromium.launch({ executablePath: executable.executablePath, args: executable.args });
  try {
    const signedIn = await signIn(browser, server.url);
    for (const page of pages) {
      const loads = [];
      const loadAverage = loadavg()[0]!;
      for (let load = 0; load < LOADS; load++) loads.push(await loadPage(browser, server.url, page.path, page.signedIn ? signedIn : undefined));
      const [first] = loads;
      const lcp = summarize(loads.map((load) => load.lcpMs));
      const target = TARGETS[page.name];
      const who = page.signedIn ? "signed in" : "visitor";
      record(ctx, {
        suite: "pages",
        metric: `Page ${page.name} (${who}): compressed JS`,
        value: `${fmt(first!.scriptBytes / 1000)} kB`,
        note:
          `${first!.scripts} scripts (${fmt(first!.decodedBytes / 1000)} kB uncompressed) until the load event of a cold ${page.path}` +
          `, then ${fmt(first!.prefetchedBytes / 1000)} kB prefetched for its links${target ? `; target ≤ ${target} kB` : ""}`,
        data: { page: page.name, path: page.path, signedIn: page.signedIn, ...first },
      });
      record(ctx, {
        suite: "pages",
        metric: `Page ${page.name} (${who}): LCP at ${CPU_SLOWDOWN}× CPU slowdown`,
        value: `${fmt(lcp.p50, 0)} ms`,
        note:
          `median of ${LOADS} cold loads (${loads.map((load) => fmt(load.lcpMs, 0)).join(", ")} ms; the whole HTML arrived at ` +
          `${loads.map((load) => fmt(load.htmlMs, 0)).join(", ")} ms; LCP element ${first!.lcpElement}); load average ${fmt(loadAverage, 1)}; target ≤ 1500 ms`,
        data: { page: page.name, signedIn: page.signedIn, ...lcp, htmlMs: loads.map((load) => load.htmlMs), lcpElement: first!.lcpElement, loadAverage },
      });
    }
    const cookie = (await signedIn.cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
    const product = productPath(ctx.product);
    for (let run = 0; run < WARMUP; run++) await serverTime(server.url + product, cookie);
    const times: number[] = [];
    for (let run = 0; run < SERVER_RUNS; run++) times.push(await serverTime(server.url + product, cookie));
    const summary = summarize(times);
    record(ctx, {
      suite: "pages",
      metric: "Product page server time",
      value: `p50 ${fmt(summary.p50)} ms, p95 ${fmt(summary.p95)} ms`,
      note: `whole HTML of ${product} (${count(ctx.size)} records), signed in, ${SERVER_RUNS} requests after ${WARMUP}; target ≤ 300 ms`,
      data: { ...summary, records: ctx.size },
    });
    await signedIn.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function signIn(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL });
  const response = await context.request.post("/api/auth/sign-in/email", { data: ANALYST });
  if (!response.ok()) throw new Error(`Signing in as ${ANALYST.email} failed: ${response.status()} ${await response.text()}`);
  return context;
}

/** One cold load (fresh browser context, so an empty cache) of `pagePath`, with the CPU slowed down. */
async function loadPage(browser: Browser, baseURL: string, pagePath: string, signedIn?: BrowserContext) {
  const context = await browser.newContext({ baseURL, storageState: signedIn ? await signedIn.storageState() : undefined });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    await page.addInitScript(() => {
      const store = window as unknown as { __lcp: number; __lcpElement: string };
      store.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { element?: Element | null })[]) {
          store.__lcp = entry.startTime;
          store.__lcpElement = entry.element ? `<${entry.element.tagName.toLowerCase()}> "${(entry.element.textContent ?? "").trim().slice(0, 30)}"` : "";
        }
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    // Scripts requested after the load event are the prefetches of linked pages (Next.js's <Link>).
    let loaded = false;
    page.once("load", () => (loaded = true));
    const requestedAfterLoad = new WeakSet<object>();
    page.on("request", (request) => loaded && requestedAfterLoad.add(request));
    const scripts: Promise<{ url: string; encoded: number; decoded: number; afterLoad: boolean }>[] = [];
    page.on("requestfinished", (request) => {
      if (request.resourceType() !== "script") return;
      scripts.push(
        (async () => {
          const [sizes, body] = await Promise.all([request.sizes(), request.response().then((response) => response?.body())]);
          return { url: new URL(request.url()).pathname, encoded: sizes.responseBodySize, decoded: body?.length ?? 0, afterLoad: requestedAfterLoad.has(request) };
        })(),
      );
    });
    // A document loaded after the page's own one (a reload or redirect by script) would spoil the figures.
    const documents: string[] = [];
    page.on("domcontentloaded", () => documents.push(page.url()));
    const response = await page.goto(pagePath, { waitUntil: "load" });
    if (!response?.ok()) throw new Error(`GET ${pagePath}: ${response?.status()}`);
    if (new URL(page.url()).pathname !== pagePath.split("?")[0]) throw new Error(`GET ${pagePath} ended on ${page.url()}`);
    // Scripts requested after the load event count too (the network quiet for 0.5 s), then
    // the last LCP candidate reported within a second after the load event.
    await page.waitForLoadState("networkidle", { timeout: 30_000 });
    await page.waitForTimeout(1000);
    page.removeAllListeners("requestfinished");
    if (documents.length > 1) throw new Error(`GET ${pagePath} loaded another document: ${documents.slice(1).join(", ")}`);
    const { lcpMs, lcpElement, htmlMs } = await page.evaluate(() => ({
      lcpMs: (window as unknown as { __lcp: number }).__lcp,
      lcpElement: (window as unknown as { __lcpElement: string }).__lcpElement,
      // When the last byte of the HTML arrived: the server's part of the LCP.
      htmlMs: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).responseEnd,
    }));
    const sizes = await Promise.all(scripts);
    const atLoad = sizes.filter((size) => !size.afterLoad);
    return {
      scripts: atLoad.length,
      scriptBytes: atLoad.reduce((sum, size) => sum + size.encoded, 0),
      decodedBytes: atLoad.reduce((sum, size) => sum + size.decoded, 0),
      prefetchedBytes: sizes.reduce((sum, size) => sum + (size.afterLoad ? size.encoded : 0), 0),
      lcpMs,
      lcpElement,
      htmlMs,
      /** Each script's path and compressed size, for the JSON file: what to look at first. */
      files: sizes.map(({ url, encoded, afterLoad }) => ({ url, bytes: encoded, afterLoad })),
    };
  } finally {
    await context.close();
  }
}

/** Milliseconds until the whole HTML of a page has arrived. */
async function serverTime(url: string, cookie: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, { headers: { cookie } });
  await response.text();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return performance.now() - start;
}
