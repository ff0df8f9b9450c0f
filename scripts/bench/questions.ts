import { createReadStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { embed } from "ai";
import { embeddingModel } from "../../lib/ai/models";
import type { QueryWord } from "../../lib/db/retrieval";
import { embedQuestionWords } from "../../lib/search/query-words";
import type { ProductDef, QuestionSet, SizeContext } from "./context";
import { ensureCorpus, readJson } from "./corpus";
import { distinctQuestions } from "./paraphrase";
import { CACHE, count, log, MODEL, queryCount, WARMUP } from "./settings";

/**
 * The questions of the query measurements: distinct, deterministic, written
 * from the corpus. First the generator's own questions (the product's and
 * every archetype's, from queries.json), then questions written from records
 * of a held-out corpus (the same generator with another seed: texts of the
 * same kind that the searched corpus need not contain), each through one of a
 * few question templates. Every question is asked once per measurement, so
 * no cache sees it twice.
 */

/** Seed of the held-out corpus (the generator's default is 42). */
const HELD_OUT_SEED = 7;

/** The size's questions and their embeddings (once per size, shared by the suites and engines). */
export function ensureQuestions(ctx: SizeContext): Promise<QuestionSet> {
  ctx.questions ??= (async () => {
    const def = ctx.product;
    const productRef = `${def.domain}/${def.name}`;
    const own = readJson<{ question: string; product: string }[]>(path.join(ctx.corpusDir, "queries.json"))
      .filter((query) => query.product === productRef)
      .map((query) => query.question);
    if (own.length === 0) throw new Error(`queries.json has no question for ${productRef}`);
    // Every archetype's questions: eight products, one each.
    const catalogDir = path.join(CACHE, "corpus-catalog-questions");
    ensureCorpus(catalogDir, 8, 8);
    const catalog = readJson<{ question: string }[]>(path.join(catalogDir, "queries.json")).map((query) => query.question);
    const seed = [...new Set([...own, ...catalog])];
    // Enough held-out records for the questions and the warm-up, whatever the repeats.
    const heldOutRecords = 4 * (queryCount + WARMUP);
    const heldOutDir = path.join(CACHE, `corpus-held-out-${heldOutRecords}`);
    ensureCorpus(heldOutDir, heldOutRecords, 1, HELD_OUT_SEED);
    const texts = await fieldTexts(path.join(heldOutDir, "records", `${def.domain}--${def.name}.ndjson`), def);
    const all = distinctQuestions(seed, texts, queryCount + WARMUP);
    const questions = all.slice(0, queryCount);
    const warmup = all.slice(queryCount);
    const fromGenerator = Math.min(seed.length, queryCount);
    log(`${count(questions.length)} distinct questions (${fromGenerator} from queries.json, the others from held-out records), ${warmup.length} for warm-up`);
    const model = embeddingModel(MODEL);
    const embeddings = new Map<string, number[]>();
    const words = new Map<string, QueryWord[]>();
    for (const question of all) {
      embeddings.set(question, (await embed({ model, value: question })).embedding);
      words.set(question, await embedQuestionWords(MODEL, question));
    }
    return { questions, warmup, embeddings, words, fromGenerator };
  })();
  return ctx.questions;
}

/** The semantic search fields' texts of an NDJSON file's records, field by field, record by record. */
async function fieldTexts(file: string, def: ProductDef): Promise<string[]> {
  const texts: string[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as Record<string, unknown>;
    for (const field of def.semanticSearchFields) if (typeof row[field] === "string") texts.push(row[field]);
  }
  return texts;
}
