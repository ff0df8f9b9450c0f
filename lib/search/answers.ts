import { AppError } from "../errors";
import { valueSynonyms } from "../ai/local/wordnet";
import { findProduct } from "../db/products";
import { executePlan, recordsHoldingValues, StaleCatalog, type Ranking } from "../db/query-plan";
import { productStamp } from "../db/record-columns";
import { findSemanticSearch, findSemanticSearches, type SemanticSearchRow } from "../db/semantic-search";
import { currentCatalog, heldCatalog, valueCatalog } from "../db/value-catalog";
import { RESTRICTED_REASON, type RecordAccess } from "../mesh/access";
import { escapeMarkdown } from "../mesh/answer";
import { isRelevant } from "../mesh/relevance";
import { fieldCatalog, type ValueCatalog } from "../mesh/plan/catalog";
import { composeFact, composeLinks, nothingFound, type LinkedRecord } from "../mesh/plan/compose";
import { labelFieldsOf } from "../mesh/plan/labels";
import { isFollowUp, refinePlan } from "../mesh/plan/follow-up";
import { planQuestion, type Planned } from "../mesh/plan/planner";
import { titleShares } from "../mesh/plan/title";
import { rankProducts } from "./discovery";
import { rankRecords } from "./product-search";
import type { Execution, Link, Plan, ProductAnswer, StructuredAnswer } from "../validation/answers";
import type { Product } from "../validation/product";

/**
 * The answer engine: for a question, the candidate products (discovery's
 * best, or those named), each planned against its schema and value catalog,
 * executed in SQL with the question's semantic ranking inside the filters,
 * then the best-explained product answers — with the records of other
 * products that share a key value when the question is about one record —
 * composed offline with the fact first and every record cited. A candidate
 * whose records the reader may not read (`access`) is never planned (its
 * value catalog holds record values), executed or linked: it is only named
 * as restricted.
 */

/** Products planned for a question when the caller names none: planning is cheap, discovery's top 3 miss too often. */
export const CANDIDATE_PRODUCTS = 6;
/** Records a product's hybrid search ranks before the filters apply. */
const SEARCH_CANDIDATES = 50;
/** Weight of the question naming a product by its title, against discovery's rank (0.3 for the first). */
const TITLE_WEIGHT = 0.3;
/** A title share (title.ts) from which the question names that product. */
const NAMED_TITLE = 0.3;
/** Below this, a product explains too little of the question to answer it. */
const MIN_SCORE = 0.45;

export interface ProductOutcome {
  product: Product;
  planned: Planned;
  plan: Plan;
  /** The fields that name one of its records, from its value catalog. */
  labels: string[];
  execution: Execution | null;
  /** Best cosine similarity of the question to the product's records (null without semantic search). */
  similarity: number | null;
  /** Record keys in the product's search order for the question. */
  searchOrder: string[];
  score: number;
  status: "ok" | "skipped" | "error";
  reason?: string;
}

export interface EngineResult {
  answer: StructuredAnswer;
  outcomes: ProductOutcome[];
  /** Candidates whose records the reader may not read: not consulted. */
  restricted: Product[];
  timings: { discoveryMs: number; planningMs: number; totalMs: number };
}

interface Candidate {
  product: Product;
  rank: number;
  /** How plainly the question names it by its title, beside the other candidates (title.ts). */
  titled?: number;
  /** Its semantic search capability, if any. */
  search?: SemanticSearchRow;
}

async function candidates(question: string, access: RecordAccess, named?: string[]): Promise<Candidate[]> {
  if (named?.length) {
    return Promise.all(
      [...new Set(named)].map(async (address, rank) => {
        const [domain, name] = address.split("/") as [string, string];
        const product = await findProduct(domain, name);
        if (!product) throw new AppError("validation", `No data product ${address}`, { products: [`No data product ${address}`] });
        return { product, rank };
      }),
    );
  }
  return (await rankProducts(question, CANDIDATE_PRODUCTS, access)).map(({ product }, rank) => ({ product, rank }));
}

/** The product's search ranking for the question, by its semantic search capability (`config`, read with the other candidates'). */
async function searchRanking(product: Product, config: SemanticSearchRow | undefined, question: string): Promise<{ ranking?: Ranking; similarity: number | null }> {
  if (!config || config.status !== "ready") return { similarity: null };
  const { matches, embedding } = await rankRecords(product.id, config.model, question, SEARCH_CANDIDATES);
  const similarity = matches.reduce<number | null>((best, match) => (match.similarity !== null && (best === null || match.similarity > best) ? match.similarity : best), null);
  const relevant = matches.filter((match) => isRelevant(match)).map((match) => match.key);
  return { ranking: { keys: matches.map((match) => match.key), scores: matches.map((match) => match.score), embedding, relevant }, similarity };
}

/**
 * How well a product answers: the share of the question its schema and values explain, whether
 * the plan found structure (conditions, a named number), how close its best record is in meaning,
 * and discovery's rank.
 */
function scoreOf(planned: Planned, plan: Plan, similarity: number | null, { rank, titled = 0 }: Candidate, execution: Execution | null): number {
  if (planned.problem || !execution) return 0;
  const structured = Math.min(0.3, 0.1 * (plan.filters.length + (plan.field ? 1 : 0) + plan.fields.length));
  const found = execution.matched > 0 || ["count", "exists"].includes(plan.operation) ? 0 : -0.2;
  const discovery = 0.3 / (1 + rank) + TITLE_WEIGHT * titled;
  // A question about one record is decided by meaning; a count or a total by the fields and values it names.
  if (plan.operation === "lookup") return planned.explained * 0.5 + structured + Math.max(0, (similarity ?? 0) - 0.3) * 2 + found + discovery;
  const named = planned.measureNamed && ["sum", "avg", "min", "max"].includes(plan.operation) ? 0.3 : 0;
  const semantic = (similarity ?? 0) * (["list", "exists"].includes(plan.operation) ? 0.5 : 0.35);
  return planned.explained + structured + named + semantic + found + discovery;
}

/**
 * A total, average or extreme over every record of a product, when no record is close to the
 * question and its fields explain less than half of it ("the average monthly premium for pet
 * insurance" of client complaints, through their credit field): a number of something else.
 */
const AGGREGATES = new Set(["sum", "avg", "min", "max"]);
const measuresSomethingElse = (planned: Planned, plan: Plan, ranking?: Ranking) =>
  AGGREGATES.has(plan.operation) && plan.filters.length === 0 && ranking?.relevant?.length === 0 && planned.explained < 0.5;

/**
 * A list or count that no field or value of the product narrows ("which appointments did we call
 * off?") is of the records relevant to the question, when some are, not of every record.
 */
const narrowedByMeaning = (plan: Plan, ranking?: Ranking) =>
  (plan.operation === "list" || plan.operation === "count") && plan.filters.length === 0 && !plan.field && Boolean(ranking?.relevant?.length);

/**
 * A product's answer, planned with the value catalog held in memory: the executor checks its stamp
 * in its first statement, and when the product changed since (a write, on any server) the question is
 * planned again with the current catalog.
 */
async function answerProduct(candidate: Candidate, question: string, today: Date, previous?: Plan): Promise<ProductOutcome> {
  try {
    return await answerWith(await heldCatalog(candidate.product.id, candidate.product.schema), candidate, question, today, previous);
  } catch (error) {
    if (!(error instanceof StaleCatalog)) throw error;
    return answerWith(await currentCatalog(candidate.product.id, candidate.product.schema), candidate, question, today, previous, false);
  }
}

async function answerWith({ catalog, stamp }: { catalog: ValueCatalog; stamp: string }, candidate: Candidate, question: string, today: Date, previous?: Plan, retry = true): Promise<ProductOutcome> {
  const { product, search } = candidate;
  // A stamp that moves again while planning with the current catalog is a write after the question: not waited for.
  const plannedAt = retry ? { stamp } : {};
  const planned = planQuestion(question, product, catalog, { today, synonyms: valueSynonyms });
  let plan = previous ? refinePlan(previous, planned, question) : planned.plan;
  const base = { product, planned, plan, labels: labelFieldsOf(product.schema, catalog) };
  try {
    const { ranking, similarity } = await searchRanking(product, search, plan.search);
    if (!previous && narrowedByMeaning(plan, ranking)) plan = { ...plan, relevantOnly: true };
    const searchOrder = ranking?.keys ?? [];
    const problem = previous
      ? undefined
      : (planned.problem ?? (measuresSomethingElse(planned, plan, ranking) ? `neither the fields nor the records of ${product.title} hold what the question measures` : undefined));
    if (problem) {
      // Nothing executes to check the catalog's stamp: checked alone.
      if (retry && (await productStamp(product.id)) !== stamp) throw new StaleCatalog();
      return { ...base, execution: null, similarity, searchOrder, score: 0, status: "ok", reason: problem };
    }
    let execution = await executePlan(product.id, plan, product.schema, ranking, plannedAt);
    let answered = plan;
    // Nothing matched every condition of a list or lookup: drop the weakest ones (parts of values, undated dates) and say so.
    if (execution.matched === 0 && (plan.operation === "list" || plan.operation === "lookup") && planned.weakFilters.length && !previous) {
      const dropped = planned.weakFilters.map((at) => plan.filters[at]!);
      answered = { ...plan, filters: plan.filters.filter((filter) => !dropped.includes(filter)), notes: [...plan.notes, `no record matched ${dropped.map((filter) => `"${filter.words ?? filter.field}"`).join(" and ")} as well; left out`].slice(0, 12) };
      execution = await executePlan(product.id, answered, product.schema, ranking, plannedAt);
    }
    // Consulted, but neither its fields and values nor the meaning of its records speak to the question.
    const reason = !ranking ? "semantic search is not enabled: answered from its fields only" : ranking.relevant?.length === 0 && answered.filters.length === 0 ? "none of its records is close to the question" : undefined;
    return { ...base, plan: answered, execution, similarity, searchOrder, ...(reason ? { reason } : {}), score: scoreOf(previous ? { ...planned, problem: undefined } : planned, plan, similarity, candidate, execution), status: "ok" };
  } catch (error) {
    if (error instanceof StaleCatalog) throw error;
    if (!(error instanceof AppError)) console.error(`Answering from ${product.domain}/${product.name} failed:`, error);
    return { ...base, execution: null, similarity: null, searchOrder: [], score: 0, status: "error", reason: error instanceof AppError ? error.message : "the product's query failed" };
  }
}

const IDENTIFIER = /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9_./-]{2,}$/;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** Text values of a record that look like keys another product may share ("BK-482913", "PRP-2031", "SUP-1006"). */
function keyValues(product: Product, data: Record<string, unknown>): { field: string; value: string }[] {
  return product.schema.fields
    .filter((field) => field.type === "string")
    .map((field) => ({ field: field.name, value: data[field.name] }))
    .filter((entry): entry is { field: string; value: string } => typeof entry.value === "string" && IDENTIFIER.test(entry.value) && !DATE_LIKE.test(entry.value));
}

const prefixOf = (value: string) => /^[A-Za-z]+-/.exec(value)?.[0].toUpperCase();

/** Text fields of a product whose stored values look like `values` (same prefix, or the very value). */
function fieldsHolding(product: Product, catalog: ValueCatalog, values: string[]): string[] {
  const prefixes = new Set(values.map(prefixOf).filter(Boolean));
  return product.schema.fields
    .filter((field) => field.type === "string")
    .filter((field) => {
      const stats = fieldCatalog(catalog, field.name);
      const seen = [...(stats?.values?.map((value) => value.value) ?? []), ...(stats?.samples ?? [])];
      return seen.some((value) => values.includes(value) || prefixes.has(prefixOf(value)));
    })
    .map((field) => field.name);
}

interface FoundLink {
  link: Link;
  from: LinkedRecord;
  to: LinkedRecord;
  /** How strongly both ends are the records the question is about. */
  weight: number;
}

const composed = (outcome: ProductOutcome) => ({ domain: outcome.product.domain, name: outcome.product.name, title: outcome.product.title, schema: outcome.product.schema, labels: outcome.labels });
/**
 * How high a record stands in its product's answer to the question: its place among the plan's
 * rows or in the product's search order, whichever is higher — only the search order when the plan
 * sorts by a field ("its latest audit" is the latest of the linked ones, not of all).
 */
const rankIn = (outcome: ProductOutcome, key: string) => {
  const row = outcome.plan.sort ? -1 : (outcome.execution?.rows.findIndex((candidate) => candidate.key === key) ?? -1);
  const searched = outcome.searchOrder.indexOf(key);
  const places = [row, searched].filter((place) => place >= 0);
  return places.length ? Math.min(5, ...places) : 5;
};

/** Records of `far` sharing a key value with the top records of `anchor`, weighted by both ends' ranks. */
async function findLinks(anchor: ProductOutcome, far: ProductOutcome, partner: ProductOutcome): Promise<FoundLink[]> {
  const best = partner === anchor ? far : anchor;
  // The records the question is about: the top one of a lookup or list, every match of a yes/no question.
  const rows = anchor.execution?.rows.slice(0, anchor.plan.operation === "exists" ? 3 : 1) ?? [];
  const catalog = await valueCatalog(far.product.id, far.product.schema);
  const found: FoundLink[] = [];
  for (const row of rows) {
    const keys = [{ field: anchor.product.schema.primaryKey, value: row.key }, ...keyValues(anchor.product, row.data)];
    const unique = [...new Map(keys.map((key) => [key.value, key])).values()];
    const fields = fieldsHolding(far.product, catalog, unique.map((key) => key.value));
    let linked = await recordsHoldingValues(far.product.id, fields, unique.map((key) => key.value));
    if (far.plan.sort) {
      const { field, direction } = far.plan.sort;
      linked = [...linked].sort((a, b) => String(a.data[field] ?? "").localeCompare(String(b.data[field] ?? "")) * (direction === "desc" ? -1 : 1));
    }
    for (const hit of [...new Map(linked.map((hit) => [hit.key, hit])).values()].slice(0, far.plan.sort ? 1 : 3)) {
      const fromField = unique.find((key) => key.value === hit.value)!.field;
      const [partnerKey, bestKey] = partner === anchor ? [row.key, hit.key] : [hit.key, row.key];
      found.push({
        link: { value: hit.value, from: { product: `${anchor.product.domain}/${anchor.product.name}`, key: row.key, field: fromField }, to: { product: `${far.product.domain}/${far.product.name}`, key: hit.key, field: hit.field } },
        from: { product: composed(anchor), plan: anchor.plan, key: row.key, data: row.data },
        to: { product: composed(far), plan: far.plan, key: hit.key, data: hit.data },
        weight: partner.score / (1 + rankIn(partner, partnerKey)) + (0.5 * best.score) / (1 + rankIn(best, bestKey)),
      });
    }
  }
  return found;
}

/**
 * Questions about one record or one yes/no fact may be answered across a shared key; a few records
 * listed too, unless the question asks for the list itself ("Which one-way rentals …?").
 */
const linkable = (outcome: ProductOutcome, question: string) =>
  outcome.plan.operation === "lookup" ||
  outcome.plan.operation === "exists" ||
  (outcome.plan.operation === "list" && (outcome.execution?.matched ?? 0) <= 3 && !ASKS_LIST.test(question));
const ASKS_LIST = /^\s*(which|list|show)\b/i;

/** The links of the best product's records with its strongest partners', in both directions, best first. */
async function linksOf(best: ProductOutcome, partners: ProductOutcome[]): Promise<FoundLink[]> {
  // A partner leads to the best product's records only when its own conditions single out the record the question starts from.
  const anchors = (outcome: ProductOutcome) => ["lookup", "list", "exists"].includes(outcome.plan.operation) && outcome.plan.filters.length > 0;
  const found = (
    await Promise.all(partners.flatMap((partner) => [findLinks(best, partner, partner), ...(anchors(partner) ? [findLinks(partner, best, partner)] : [])]))
  ).flat();
  // One link per pair of records, whichever direction found it.
  const pairs = new Map<string, FoundLink>();
  for (const entry of found.sort((a, b) => b.weight - a.weight)) {
    const id = [`${entry.link.from.product}#${entry.link.from.key}`, `${entry.link.to.product}#${entry.link.to.key}`].sort().join("|");
    if (!pairs.has(id)) pairs.set(id, entry);
  }
  return [...pairs.values()].filter((entry) => entry.weight >= MIN_SCORE * 0.6);
}

/** "No" is decided by the records that meet every condition but one: cite the fewest of those. */
async function deciding(outcome: ProductOutcome): Promise<{ plan: Plan; execution: Execution } | null> {
  const { plan } = outcome;
  if (plan.operation !== "exists" || (outcome.execution?.matched ?? 1) > 0 || plan.filters.length < 2) return null;
  const relaxed = await Promise.all(
    plan.filters.map(async (_, index) => {
      const without = { ...plan, operation: "list" as const, filters: plan.filters.filter((__, other) => other !== index) };
      return { plan: without, execution: await executePlan(outcome.product.id, without, outcome.product.schema) };
    }),
  );
  return relaxed.filter((entry) => entry.execution.matched > 0).sort((a, b) => a.execution.matched - b.execution.matched)[0] ?? null;
}

export async function answerQuestion({
  question,
  access,
  products,
  previous,
  today = new Date(),
}: {
  question: string;
  /** What the reader may read of the records. */
  access: RecordAccess;
  products?: string[];
  /** The previous turn's plans, for follow-up questions. */
  previous?: Plan[];
  today?: Date;
}): Promise<EngineResult> {
  const started = performance.now();
  const followUp = previous?.length && isFollowUp(question) ? previous : undefined;
  const all = await candidates(question, access, followUp ? followUp.map((plan) => plan.product) : products);
  const readable = all.filter((candidate) => access.readable(candidate.product));
  const searches = await findSemanticSearches(readable.map((candidate) => candidate.product.id));
  const titled = titleShares(question, readable.map((candidate) => candidate.product.title));
  const found = readable.map((candidate, at) => ({ ...candidate, titled: titled[at], search: searches.get(candidate.product.id) }));
  const restricted = all.filter((candidate) => !access.readable(candidate.product)).map((candidate) => candidate.product);
  const discovered = performance.now();
  const outcomes = await Promise.all(
    found.map((candidate) => answerProduct(candidate, question, today, followUp?.find((plan) => plan.product === `${candidate.product.domain}/${candidate.product.name}`))),
  );
  const ranked = [...outcomes].sort((a, b) => b.score - a.score);
  const best = ranked[0];
  const titles = outcomes.map((outcome) => outcome.product.title);
  const restrictedNote = restricted.length ? `\n\nNot consulted, ${RESTRICTED_REASON}: ${restricted.map((product) => escapeMarkdown(product.title)).join(", ")}.` : "";
  const timings = () => ({ discoveryMs: Math.round(discovered - started), planningMs: Math.round(performance.now() - discovered), totalMs: Math.round(performance.now() - started) });

  if (!best || best.score < MIN_SCORE || !best.execution) {
    return { answer: { text: `${nothingFound(question, titles)}${restrictedNote}`, kind: "nothing", values: [], citations: [], links: [], plans: [] }, outcomes, restricted, timings: timings() };
  }

  const fact = composeFact(composed(best), best.plan, best.execution, await deciding(best));
  let text = fact.text;
  let kind: StructuredAnswer["kind"] = best.plan.operation === "list" ? "records" : "fact";
  let citations = fact.citations;
  let values = fact.values;
  let links: Link[] = [];

  // A question the best product explains in full asks nothing of another product's records, unless it names one by its title.
  const named = new Set(found.filter((candidate) => (candidate.titled ?? 0) >= NAMED_TITLE).map((candidate) => candidate.product.id));
  if (linkable(best, question) && (best.planned.explained < 1 || ranked.slice(1, 4).some((outcome) => named.has(outcome.product.id)))) {
    const partners = ranked.slice(1, 4).filter((outcome) => outcome.execution && outcome.score >= MIN_SCORE * 0.6);
    const chosen = (await linksOf(best, partners)).slice(0, 3);
    if (chosen.length) {
      const lead = best.plan.operation === "exists" ? fact.text.split("\n")[0] : undefined;
      const joined = composeLinks(chosen, best.plan, lead);
      const facts = fact.text.split("\n").slice(lead ? 1 : 0).join("\n");
      text = `${joined.text}\n\n${facts}`;
      kind = "links";
      links = chosen.map((entry) => entry.link);
      values = [...(lead ? fact.values : []), ...joined.values];
      citations = [...joined.citations, ...fact.citations.filter((citation) => !joined.citations.some((other) => other.href === citation.href))];
    }
  }

  const consulted = ranked
    .filter((outcome) => outcome !== best)
    .map((outcome) => `${escapeMarkdown(outcome.product.title)}${outcome.reason ? ` (${escapeMarkdown(outcome.reason)})` : ""}`);
  if (consulted.length) text += `\n\nAlso consulted: ${consulted.join(", ")}.`;
  text += restrictedNote;

  return {
    answer: {
      text,
      kind,
      values,
      citations: [...new Map(citations.map((citation) => [citation.href, citation])).values()],
      links,
      plans: [best.plan, ...links.flatMap((link) => ranked.filter((outcome) => [link.from.product, link.to.product].includes(`${outcome.product.domain}/${outcome.product.name}`)).map((outcome) => outcome.plan))].filter(
        (plan, index, all) => all.findIndex((other) => other.product === plan.product) === index,
      ),
    },
    outcomes,
    restricted,
    timings: timings(),
  };
}

/** One product's own answer to the question (for the API): its fact, plan and supporting records. */
export function productAnswer(outcome: ProductOutcome): ProductAnswer | undefined {
  if (!outcome.execution) return undefined;
  const { text, values, citations } = composeFact(composed(outcome), outcome.plan, outcome.execution);
  const rows = new Map(outcome.execution.rows.map((row) => [row.key, row.data]));
  return {
    text,
    values,
    records: citations.map((citation) => ({ ...citation, fields: rows.get(citation.key) ?? {} })),
    matched: outcome.execution.matched,
    capped: outcome.execution.capped,
  };
}

/** Runs a plan (from a hosted model's query_records call, say) against one product, ranked by its search. */
export async function runPlan(product: Product, plan: Plan): Promise<Execution> {
  const { ranking } = await searchRanking(product, (await findSemanticSearch(product.id)) ?? undefined, plan.search);
  return executePlan(product.id, plan, product.schema, ranking);
}
