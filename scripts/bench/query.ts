import { embed } from "ai";
import { embeddingModel } from "../../lib/ai/models";
import { getProductId } from "../../lib/db/products";
import { recordsByKeys } from "../../lib/db/records";
import {
  analyzeEmbeddings,
  distanceToRecord,
  efSearchFor,
  exactNearest,
  explainNearest,
  highlights,
  matchRecords,
  sampleEmbeddings,
} from "../../lib/db/retrieval";
import { findSemanticSearch } from "../../lib/db/semantic-search";
import { querySemantic } from "../../lib/services/semantic-search";
import { record, type SizeContext } from "./context";
import { ensureQuestions } from "./questions";
import { measureSearch } from "./search";
import { candidateSettings, fmt, hnswLabel, hnswOptions, K, log, MODEL, seconds, statsPhases } from "./settings";
import { mean, recallAtK, summarize, tieAwareRecallAtK, type LatencySummary } from "./stats";
import { ensureSearchable, recordVectorSource } from "./steps";

/** Semantic query latency (end to end, hybrid SQL, vector SQL, each statement) and HNSW recall@10 against an exact scan. */
export async function querySuite(ctx: SizeContext) {
  const suite = "query";
  const searchable = await ensureSearchable(ctx);
  recordVectorSource(ctx, searchable, suite);
  const { productId } = searchable;
  const def = ctx.product;
  const model = embeddingModel(MODEL);

  const questionSet = await ensureQuestions(ctx);
  const { questions, embeddings } = questionSet;
  const recordRows = await sampleEmbeddings(productId, 200);
  const sets = [
    { name: `the bench's ${questions.length} distinct questions`, vectors: questions.map((question) => ({ label: question, embedding: embeddings.get(question)! })) },
    { name: "200 sampled records as queries", vectors: recordRows.map((row) => ({ label: row.key, embedding: row.embedding })) },
  ].map((item) => ({ ...item, truths: [] as { keys: string[]; kthDistance: number }[] }));
  const exactTimes: number[] = [];
  for (const set of sets) {
    log(`exact top ${K} of ${set.vectors.length} query vectors: ${set.name}`);
    for (const vector of set.vectors) {
      const start = performance.now();
      const keys = await exactNearest(productId, vector.embedding, ctx.dimensions, K);
      exactTimes.push(performance.now() - start);
      set.truths.push({ keys, kthDistance: await distanceToRecord(productId, ctx.dimensions, vector.embedding, keys.at(-1)!) });
    }
  }
  const exact = summarize(exactTimes);
  record(ctx, {
    suite,
    metric: "Exact scan SQL (exactNearest, the recall ground truth)",
    value: `${fmt(exact.p50)} / ${fmt(exact.p95)} ms`,
    note: `p50 / p95 of ${exact.count} exact scans; full scan, no index`,
    data: { ...exact },
  });

  const latency = async (label: string, run: (question: string) => Promise<unknown>): Promise<LatencySummary> => {
    const times: number[] = [];
    for (const question of questions) {
      const start = performance.now();
      await run(question);
      times.push(performance.now() - start);
    }
    const summary = summarize(times);
    log(`${label}: p50 ${fmt(summary.p50)} ms, p95 ${fmt(summary.p95)} ms`);
    return summary;
  };
  const latencyResult = (metric: string, summary: LatencySummary, note: string, data: Record<string, unknown> = {}) =>
    record(ctx, {
      suite,
      metric,
      value: `${fmt(summary.p50)} / ${fmt(summary.p95)} ms`,
      note: `p50 / p95 of ${summary.count} distinct questions, each once (${questionSet.fromGenerator} from queries.json, the others written from held-out records); ${note}`,
      data: { ...summary, ...data },
    });

  for (const phase of statsPhases) {
    // PGlite runs no autovacuum, so nothing analyzes the table unless asked; the planner's estimates decide whether the HNSW index is used.
    let tag = "";
    if (phase === "analyzed") {
      tag = " [after ANALYZE]";
      const start = performance.now();
      await analyzeEmbeddings();
      record(ctx, {
        suite,
        metric: "ANALYZE record_embeddings (bench step; the app does not run it)",
        value: `${fmt(seconds(start))} s`,
        note: "table statistics for the planner; PGlite has no autovacuum",
        data: { seconds: seconds(start) },
      });
    }
    const plan = await vectorPlan(productId, ctx.dimensions, embeddings.get(questions[0]!)!, 40);
    record(ctx, {
      suite,
      metric: `Vector query plan${tag}`,
      value: plan.usesHnsw ? "HNSW index scan" : "no HNSW: exact scan + sort",
      note: `EXPLAIN of match_records' nearest-neighbour query: ${plan.summary}`,
      data: { ...plan },
    });

    log(`warming up (${questionSet.warmup.length} questions)${tag}`);
    for (const question of questionSet.warmup) await querySemantic(ctx.actor!, def, { question, k: K });
    const endToEnd = await latency(`querySemantic${tag}`, (question) => querySemantic(ctx.actor!, def, { question, k: K }));
    latencyResult(`Semantic query, end to end (querySemantic, k=10)${tag}`, endToEnd, "embed the question + hybrid SQL + records + highlights");
    if (!tag) {
      const questionEmbedding = await latency("question embedding", async (question) => embed({ model, value: question }));
      latencyResult("  of which: question embedding (embed)", questionEmbedding, `${MODEL}, worker threads`);
    }
    const search = await measureSearch(ctx, productId, questionSet, `query suite${tag}`);
    latencyResult(`Hybrid search SQL (match_records with question text)${tag}`, search.hybrid, "candidates 40 (app default), hnsw.ef_search 400");
    if (!tag) ctx.summary.query = { hybridP50Ms: search.hybrid.p50, hybridP95Ms: search.hybrid.p95, recallAt10: search.hybridRecall, endToEndP95Ms: endToEnd.p95 };
    latencyResult(`Exact hybrid SQL (match_records, index scans off: the recall ground truth)${tag}`, search.exactHybrid, "same fusion, exact scans instead of HNSW");
    record(ctx, {
      suite,
      metric: `Hybrid recall@${K} against the exact hybrid ranking${tag}`,
      value: fmt(search.hybridRecall, 3),
      note: `records with the same embedded text count as the same answer; by key ${fmt(search.hybridRecallByKey, 3)}; worst question ${fmt(search.hybridRecallMin, 2)}; ${search.questions} distinct questions`,
      data: { recall: search.hybridRecall, recallByKey: search.hybridRecallByKey, min: search.hybridRecallMin, queries: search.questions },
    });
    // The other statements of querySemantic, one by one.
    const keysOf = new Map<string, string[]>();
    for (const question of questions) keysOf.set(question, (await matchRecords(productId, embeddings.get(question)!, question, K)).map((m) => m.key));
    const steps: [string, (question: string) => Promise<unknown>][] = [
      ["getProductId", () => getProductId(def.domain, def.name)],
      ["findSemanticSearch", () => findSemanticSearch(productId)],
      ["recordsByKeys (10 records)", (question) => recordsByKeys(productId, keysOf.get(question)!)],
      ["highlights (10 records)", (question) => highlights(productId, keysOf.get(question)!, question)],
    ];
    for (const [step, run] of steps) latencyResult(`  querySemantic step: ${step}${tag}`, await latency(`${step}${tag}`, run), "one statement over the wire");
    // An exact scan returns the exact answer whatever the candidates: measure one setting and one recall set only.
    const sweep = plan.usesHnsw ? candidateSettings : candidateSettings.slice(0, 1);
    if (!plan.usesHnsw) log(`the plan is an exact scan${tag}: measuring candidates ${sweep[0]} and the product's questions only`);
    for (const candidates of sweep) {
      const vectorOnly = await latency(`vector SQL, candidates ${candidates}${tag}`, (question) =>
        matchRecords(productId, embeddings.get(question)!, "", K, { candidates }),
      );
      latencyResult(`Vector search SQL (match_records, no text), candidates ${candidates}${tag}`, vectorOnly, `hnsw.ef_search ${efSearchFor(candidates)}`, {
        candidates,
        efSearch: efSearchFor(candidates),
      });
    }

    // Recall@10 of the vector ranking (match_records without text) against the exact scan.
    for (const set of plan.usesHnsw ? sets : sets.slice(0, 1)) {
      for (const candidates of sweep) {
        const strict: number[] = [];
        const short: string[] = [];
        let worst = { recall: Infinity, label: "" };
        const tieAware: number[] = [];
        for (const [i, vector] of set.vectors.entries()) {
          const matches = (await matchRecords(productId, vector.embedding, "", K, { candidates }))
            .filter((match) => match.vectorRank !== null)
            .sort((a, b) => a.vectorRank! - b.vectorRank!);
          strict.push(recallAtK(matches.map((match) => match.key), set.truths[i]!.keys, K));
          if (matches.length < K) short.push(`${vector.label} (${matches.length})`);
          tieAware.push(tieAwareRecallAtK(matches.map((match) => 1 - match.similarity!), set.truths[i]!.kthDistance, K));
          if (tieAware.at(-1)! < worst.recall) worst = { recall: tieAware.at(-1)!, label: vector.label };
        }
        record(ctx, {
          suite,
          metric: `Recall@${K}, ${set.name}, candidates ${candidates}${tag}`,
          value: `${fmt(mean(tieAware), 3)}`,
          note: `counting ties with the exact 10th neighbour as hits; by key ${fmt(mean(strict), 3)}; worst query ${fmt(Math.min(...tieAware), 2)}; ${set.vectors.length} query vectors${short.length ? `; ${short.length} got fewer than ${K} vector hits` : ""}${hnswOptions ? `; ${hnswLabel}` : ""}`,
          data: { candidates, queries: set.vectors.length, recall: mean(tieAware), recallByKey: mean(strict), min: Math.min(...tieAware), worst, fewerThanK: short, hnsw: hnswLabel, efSearch: efSearchFor(candidates) },
        });
      }
    }
  }
}

/** The plan of match_records' nearest-neighbour query, summarised: does it use the product's HNSW index? */
async function vectorPlan(productId: string, dimensions: number, embedding: number[], candidates: number) {
  const lines = await explainNearest(productId, dimensions, embedding, candidates);
  const nodes = lines
    .map((line) => line.trim().replace(/^->\s*/, "").replace(/\s*\(cost=.*$/, ""))
    .filter((line) => /^(Limit|Sort|Incremental Sort|[A-Za-z ]*Scan)\b/.test(line) && !line.includes(":"))
    .map((line) => line.replace(/record_embeddings_hnsw_[0-9a-f]+/, "<product HNSW index>"));
  return { usesHnsw: lines.some((line) => line.includes("record_embeddings_hnsw_")), summary: nodes.join(" → "), plan: lines };
}
