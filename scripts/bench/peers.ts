import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { record, type SizeContext } from "./context";
import type { ExactIndex } from "./exact";
import { ensureQuestions } from "./questions";
import { ensureExact } from "./search";
import { CACHE, count, fmt, K, log, seconds, WARMUP } from "./settings";
import { mean, recallAtK, summarize, tieAwareRecallAtK } from "./stats";

/**
 * Dedicated vector indexes beside pgvector, on the same vectors (the searched
 * product's, from the vector cache) and the same questions' vectors, in the
 * same run: build time, top-10 latency p50/p95 (each question once, in
 * process: no SQL, no wire), recall@10 against the exact cosine top 10
 * (ExactIndex). Peers are dev dependencies of the bench only.
 *
 *   hnswlib-node  HNSW, cosine, m=16, ef_construction=64, ef 400 (pgvector's settings in match_records)
 *   LanceDB       embedded table, IVF_HNSW_SQ index, cosine, m=16, ef_construction=64, ef 400
 *   Orama         in-memory vector property: a flat (brute-force) scan
 */
interface Peer {
  name: string;
  setup: string;
  /** Builds the index; returns its top-10 search, the keys closest first. */
  build(exact: ExactIndex): Promise<(query: number[]) => Promise<string[]>>;
}

const EF = 400;

const PEERS: Peer[] = [
  {
    name: "hnswlib-node",
    setup: `HNSW m=16, ef_construction=64, ef ${EF}, cosine`,
    async build(exact) {
      const { default: hnswlib } = await import("hnswlib-node");
      const index = new hnswlib.HierarchicalNSW("cosine", exact.dimensions);
      index.initIndex(exact.size, 16, 64, 100);
      for (let row = 0; row < exact.size; row++) index.addPoint(Array.from(exact.vector(row)), row);
      index.setEf(EF);
      return async (query) => {
        return index.searchKnn(query, K).neighbors.map((row) => exact.keys[row]!);
      };
    },
  },
  {
    name: "LanceDB",
    setup: `embedded table, IVF_HNSW_SQ m=16, ef_construction=64, ef ${EF}, cosine`,
    async build(exact) {
      const lancedb = await import("@lancedb/lancedb");
      const dir = path.join(CACHE, `lancedb-${process.pid}`);
      rmSync(dir, { recursive: true, force: true });
      const database = await lancedb.connect(dir);
      const rows = exact.keys.map((key, row) => ({ key, vector: Array.from(exact.vector(row)) }));
      const table = await database.createTable("records", rows);
      await table.createIndex("vector", { config: lancedb.Index.hnswSq({ distanceType: "cosine", m: 16, efConstruction: 64 }) });
      return async (query) => {
        // _distance selected too: without it LanceDB warns on every search.
        const hits = (await table.vectorSearch(query).distanceType("cosine").ef(EF).limit(K).select(["key", "_distance"]).toArray()) as { key: string }[];
        return hits.map((hit) => hit.key);
      };
    },
  },
  {
    name: "Orama",
    setup: "in-memory vector property, brute-force scan",
    async build(exact) {
      const { create, insertMultiple, search } = await import("@orama/orama");
      const index = create({ schema: { key: "string", vector: `vector[${exact.dimensions}]` } as const });
      await insertMultiple(
        index,
        exact.keys.map((key, row) => ({ key, vector: Array.from(exact.vector(row)) })),
        1000,
      );
      return async (query) => {
        // similarity 0: no threshold, the plain top 10.
        const result = await search(index, { mode: "vector", vector: { value: query, property: "vector" }, similarity: 0, limit: K, includeVectors: false });
        return result.hits.map((hit) => hit.document.key);
      };
    },
  },
];

export async function peersSuite(ctx: SizeContext) {
  const suite = "peers";
  const set = await ensureQuestions(ctx);
  const exact = await ensureExact(ctx);
  const questions = set.questions.map((question) => set.embeddings.get(question)!);
  const truths = questions.map((query) => exact.nearest(query, K));
  ctx.summary.peers = [];
  for (const peer of PEERS) {
    log(`peer ${peer.name}: building over ${count(exact.size)} vectors`);
    const loadBefore = loadavg()[0]!;
    const start = performance.now();
    // A peer whose package did not install (a native build that failed) is reported, not fatal.
    const search = await peer.build(exact).catch((error: unknown) => {
      log(`peer ${peer.name}: unavailable (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    });
    if (!search) continue;
    const buildSeconds = seconds(start);
    for (const question of set.warmup.slice(0, WARMUP)) await search(set.embeddings.get(question)!);
    const times: number[] = [];
    const tieAware: number[] = [];
    const byKey: number[] = [];
    for (const [i, query] of questions.entries()) {
      const begin = performance.now();
      const hits = await search(query);
      times.push(performance.now() - begin);
      tieAware.push(tieAwareRecallAtK(hits.map((key) => exact.distance(query, key)), truths[i]!.at(-1)!.distance, K));
      byKey.push(recallAtK(hits, truths[i]!.map((hit) => hit.key), K));
    }
    const latency = summarize(times);
    const recall = mean(tieAware);
    const loadAverage = (loadBefore + loadavg()[0]!) / 2;
    ctx.summary.peers.push({ name: peer.name, buildS: buildSeconds, p95Ms: latency.p95, recallAt10: recall, p50Ms: latency.p50, meanLoadAverage: Number(loadAverage.toFixed(2)) });
    record(ctx, {
      suite,
      metric: `Peer ${peer.name}: build · top-10 p50 / p95 · recall@10`,
      value: `${fmt(buildSeconds)} s · ${fmt(latency.p50, 2)} / ${fmt(latency.p95, 2)} ms · ${fmt(recall, 3)}`,
      note: `${peer.setup}; ${count(exact.size)} vectors, ${latency.count} distinct questions, each once; recall against exact cosine top 10 (results judged by their exact distance, ties with the 10th count; by key ${fmt(mean(byKey), 3)}, worst ${fmt(Math.min(...tieAware), 2)}); load average ${fmt(loadAverage)}`,
      data: { buildSeconds, ...latency, recall, recallByKey: mean(byKey), min: Math.min(...tieAware) },
    });
  }
  rmSync(path.join(CACHE, `lancedb-${process.pid}`), { recursive: true, force: true });
}
