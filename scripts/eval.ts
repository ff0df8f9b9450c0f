/**
 * `npm run eval -- [--only retrieval|qa] [--verbose] [--data DIR]`
 *
 * Loads both dev sets of ../shared/eval into a fresh embedded database (the
 * 16 products side by side, each the others' neighbours), then prints
 * discovery recall@3 and MRR, record recall@5 and recall@1 per set and
 * overall, and the chat's answer accuracy on qa-dev.json per kind, scored
 * by the rules of ../shared/eval/README.md. `--verbose` prints every QA
 * answer's opening and why it failed. `--data DIR` reads another set in the
 * same format instead (every `qa*.json` there as QA questions, every other
 * `*.json` as a dev set). `--calibrate` also prints the relevance thresholds
 * per signal that maximise F1 on the sets (lib/mesh/relevance.ts) beside the
 * figures of the committed ones.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureAuthSecret } from "../lib/auth/secret";
import { createDb, db, setDb } from "../lib/db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { migrateUrl } from "../lib/db/migrate";
import { resetEnvCache } from "../lib/env";
import { createTestUser } from "../tests/helpers/users";
import { loadDevSets, readEvalData } from "../tests/eval/dev-sets";
import { evaluateQa, evaluateRetrieval, type RetrievalFigures } from "../tests/eval/evaluate";
import { opening, pooled } from "../tests/eval/score";
import { relevanceObservations } from "../tests/eval/calibration";
import { calibrate, relevanceScore, RELEVANCE, type Calibration } from "../lib/mesh/relevance";

const { values: args } = parseArgs({
  options: {
    only: { type: "string" },
    verbose: { type: "boolean", default: false },
    data: { type: "string" },
    calibrate: { type: "boolean", default: false },
  },
});
if (args.only && !["retrieval", "qa"].includes(args.only)) throw new Error('--only is "retrieval" or "qa"');

const log = (line: string) => process.stderr.write(`eval: ${line}\n`);
const pct = (value: number) => value.toFixed(3);

function retrievalRows(label: string, figures: Pick<RetrievalFigures, "discovery" | "records" | "recordsAt1">) {
  const { discovery, records, recordsAt1 } = figures;
  return `| ${label} | ${discovery.pairs} | ${pct(discovery.recall)} (${discovery.hits}) | ${pct(discovery.mrr)} | ${pct(records.recall)} (${records.hits}) | ${pct(recordsAt1.recall)} (${recordsAt1.hits}) |`;
}

async function main() {
  const data = readEvalData(args.data ? path.resolve(args.data) : undefined);
  const dataDir = path.resolve(".cache", `eval-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  let database: EmbeddedDatabase | undefined;
  try {
    database = await startEmbeddedDatabase({ dataDir });
    await migrateUrl(database.url);
    setDb(createDb(database.url, 1));
    process.env.BETTER_AUTH_SECRET = ensureAuthSecret(dataDir);
    resetEnvCache();
    const admin = await createTestUser({ role: "admin" });
    const started = performance.now();
    await loadDevSets(admin.actor, data.sets, log);
    log(`loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const analyst = await createTestUser();

    if (args.only !== "qa") {
      const perSet: [string, RetrievalFigures][] = [];
      for (const set of data.sets) perSet.push([set.file, await evaluateRetrieval(analyst.auth, set)]);
      console.log("\n## Retrieval (both dev sets loaded together)\n");
      console.log("| Set | Pairs | Discovery recall@3 | Discovery MRR | Record recall@5 | Record recall@1 |");
      console.log("| --- | --- | --- | --- | --- | --- |");
      for (const [file, figures] of perSet) console.log(retrievalRows(file, figures));
      console.log(retrievalRows("overall", {
          discovery: pooled(perSet.map(([, f]) => f.discovery)),
          records: pooled(perSet.map(([, f]) => f.records)),
          recordsAt1: pooled(perSet.map(([, f]) => f.recordsAt1)),
        }));
      console.log(`\nDiscovery misses: ${perSet.flatMap(([, f]) => f.discoveryMisses).join(", ") || "none"}`);
      console.log(`Record misses: ${perSet.flatMap(([, f]) => f.recordMisses).join(", ") || "none"}`);
    }

    if (args.calibrate) {
      const observations = (await Promise.all(data.sets.map((set) => relevanceObservations(analyst.auth, set)))).flat();
      const row = (label: string, c: Calibration) =>
        `| ${label} | ${c.thresholds.similarity} | ${c.thresholds.lexical} | ${pct(c.precision)} | ${pct(c.recall)} | ${pct(c.f1)} |`;
      console.log(`\n## Relevance (${observations.length} top-5 records, ${observations.filter((o) => o.relevant).length} gold)\n`);
      console.log("| Thresholds | Similarity | Lexical | Precision | Recall | F1 |");
      console.log("| --- | --- | --- | --- | --- | --- |");
      console.log(row("calibrated (max F1)", calibrate(observations)));
      console.log(row("committed (lib/mesh/relevance.ts)", relevanceScore(observations, RELEVANCE)));
      console.log(row("cosine 0.30 alone (before)", relevanceScore(observations, { similarity: 0.3, lexical: Infinity })));
    }

    if (args.only !== "retrieval") {
      // The chat limits questions per user and minute: a new analyst for each question.
      const { summary } = await evaluateQa(
        async () => (await createTestUser()).auth,
        data.qa,
        (question, answer, score) => {
          log(`${question.id} ${question.kind}: ${score.correct ? "correct" : `wrong (${score.why})`}`);
          if (args.verbose) process.stderr.write(`  Q: ${question.question}\n  A: ${opening(answer).replaceAll("\n", "\n     ")}\n`);
        },
      );
      console.log(`\n## Answers (qa-dev.json, ${summary.total} questions through POST /api/chat)\n`);
      console.log("| Kind | Questions | Correct | Accuracy |");
      console.log("| --- | --- | --- | --- |");
      for (const [kind, figure] of Object.entries(summary.kinds)) console.log(`| ${kind} | ${figure.total} | ${figure.correct} | ${pct(figure.accuracy)} |`);
      console.log(`| overall | ${summary.total} | ${summary.correct} | ${pct(summary.accuracy)} |`);
      console.log(`\nFailed: ${summary.failed.join("; ") || "none"}`);
    }
  } finally {
    await db().$disconnect().catch(() => {});
    setDb(undefined);
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
