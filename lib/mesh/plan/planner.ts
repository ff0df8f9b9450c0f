import type { Filter, Operation, Plan } from "../../validation/answers";
import { MAX_FILTERS } from "../../validation/answers";
import type { ProductField, ProductSchema } from "../../validation/product";
import { fieldCatalog, type ValueCatalog } from "./catalog";
import { findDates, resolveDate } from "./dates";
import { findCodes, findLimit, findQuantities, findRounding, type Span } from "./quantities";
import {
  coordinated,
  indexSchema,
  isEntityWord,
  matchValues,
  mentionFields,
  negatedAt,
  saysNameWord,
  weight,
  type FieldDoc,
  type FieldMention,
  type SchemaIndex,
  synonymSpans,
  type Synonyms,
  type ValueMatch,
} from "./schema-links";
import { measuringFields, moneySense, scaleOrder, statedState } from "./lexicon";
import { contentStems, escapeRegExp, sameWord, tokenize, type Token } from "./text";
import { ANSWER_UNIT, answerScale, conversion, fieldUnit, isCents, isMoney, unitOf } from "./units";

/**
 * The question planner: for one product, turns a question and the product's
 * schema and value catalog into a plan — filters, an operation, the measured
 * or looked-up fields, sort and limit, and the free text that ranks records
 * inside the filters — and says how much of the question it explained.
 * Pure: no database, no model; the engine executes the plan.
 */

export interface PlanProduct {
  domain: string;
  name: string;
  title: string;
  description: string;
  schema: ProductSchema;
}

export interface Planned {
  plan: Plan;
  /** Share of the question's content words the product explains (values, fields, its own name). */
  explained: number;
  /** The operation needs a field the product lacks: it cannot answer. */
  problem?: string;
  /** The measured or looked-up field is named outright ("customers" → customers_out), not only described. */
  measureNamed: boolean;
  /** Conditions read from part of a stored value or from a date: the first to drop when nothing matches. */
  weakFilters: number[];
}

const NUMERIC = new Set(["integer", "number"]);
const DATES = new Set(["date", "timestamp"]);
const OPERATION_WORDS = new Set(
  "total totals combined sum altogether overall average avg mean highest lowest largest smallest biggest greatest maximum minimum max min fewest longest shortest hottest warmest coldest coolest tallest farthest furthest best worst latest earliest newest oldest recent count number which what list show".split(" "),
);
const MAX_WORDS = /\b(most|highest|largest|biggest|greatest|maximum|max|longest|costliest|priciest|heaviest|hottest|warmest|tallest|farthest|furthest)\b/i;
const MIN_WORDS = /\b(least|lowest|smallest|fewest|minimum|min|shortest|cheapest|lightest|coldest|coolest)\b/i;
/** "best" and "worst" are the largest or the smallest value by what the field measures. */
const JUDGED = /\b(best|worst)\b/i;
/** Numbers for which more is better (a score, a rating, a yield); of the others (delays, costs, defects) more is worse. */
/** Words for a loss, and what a description says a negative number means ("negative when the show lost money"). */
const LOSS = /\b(lose|loses|lost|losing|loss|losses|deficit|shortfall|in the red)\b/i;
const NEGATIVE_MEANS = /\bnegative\b([^.;]*)/i;
const MORE_IS_BETTER = /score|rating|rated|satisfaction|csat|nps|grade|quality|yield|revenue|profit|margin|accuracy|uptime|availability/i;
const LATEST = /\b(latest|newest|most recent|most recently|last)\b/i;
const EARLIEST = /\b(earliest|oldest|first)\b/i;
const TOTAL = /\b(total|totals|combined|sum|altogether|overall|in all|all told|cumulative|aggregate|add(?:s|ed)? up)\b/i;
/** A total said of a threshold: "came to more than $500 in total", "a total of over 3 hours". */
const TOTAL_AFTER = /^(\s+[a-z]+)?\s+(in total|all told|altogether)\b/i;
const TOTAL_BEFORE = /\b(?:a\s+total\s+of|totall?(?:ing|ed)|totals?)\s+$/i;
/** A plural noun: "jobs", "fees", not "across", "status" or "bus". */
const PLURAL = /^[a-z]{2,}[^su]s$/;
/** One record singled out by a clause: "the run where …", "the guest who …". */
const SINGLED_OUT = /\bthe\s+(?:[\w-]+\s+){0,3}?([\w-]+)\s+(?:who|whose|where|that|which)\b/;
const AVERAGE = /\b(average|avg|mean)\b/i;
const YES_NO = /^\s*(did|does|do|is|are|was|were|has|have|had|can|could|will|any)\b/i;

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
/** The text with the spans' characters turned to spaces, so that offsets stay. */
const blank = (text: string, spans: Span[]) => spans.reduce((rest, span) => rest.slice(0, span.start) + " ".repeat(span.end - span.start) + rest.slice(span.end), text);
const inside = (token: Token, spans: Span[]) => spans.some((span) => token.start >= span.start && token.end <= span.end);

interface Draft {
  tokens: Token[];
  claimed: Set<number>;
  filters: Filter[];
  notes: string[];
  /** Filters read from a part of a value or from a date. */
  weak: Set<Filter>;
  /** "more than $500 in total": words of a total that a threshold compares, not a sum asked for. */
  comparedTotals: Span[];
}

/** Only the words of a question that no earlier step explained. */
const freeOf = (draft: Draft) => (token: Token) => !draft.claimed.has(token.index);

function claim(draft: Draft, indexes: number[]) {
  for (const index of indexes) draft.claimed.add(index);
}

/** Categorical values → eq / in / ne / not_in filters, one per field. */
function linkValues(draft: Draft, question: string, index: SchemaIndex, catalog: ValueCatalog, fieldNames: Set<number>, synonyms?: Synonyms) {
  const candidates = matchValues(index, catalog, draft.tokens, freeOf(draft), synonyms).filter(
    (match) => match.full || !match.tokens.some((token) => fieldNames.has(token)),
  );
  const distinct = (field: string) => fieldCatalog(catalog, field)?.distinct ?? 0;
  // Whole values before words of a value, the value's own words before a synonym, longer before shorter, fewer distinct values (more categorical) first.
  candidates.sort(
    (a, b) => Number(b.full) - Number(a.full) || Number(Boolean(a.synonym)) - Number(Boolean(b.synonym)) || b.tokens.length - a.tokens.length || distinct(a.field) - distinct(b.field),
  );
  const owner = new Map<number, string>();
  const accepted: ValueMatch[] = [];
  for (const match of candidates) {
    if (match.tokens.some((token) => owner.has(token) && owner.get(token) !== match.field)) continue;
    // Words already linked to one of the field's values are not also a synonym of another.
    if (match.synonym && match.tokens.every((token) => owner.has(token))) continue;
    // A word already covered by a whole value is not also a partial one.
    if (!match.full && accepted.some((other) => other.full && other.field === match.field && match.tokens.every((token) => other.tokens.includes(token)))) continue;
    for (const token of match.tokens) owner.set(token, match.field);
    accepted.push(match);
  }
  const byField = new Map<string, ValueMatch[]>();
  for (const match of accepted) byField.set(match.field, [...(byField.get(match.field) ?? []), match]);

  // A word of a value explained by the description of a field already matched whole ("insect (including mites)").
  const wholeFields = [...byField.entries()].filter(([, matches]) => matches.some((match) => match.full)).map(([field]) => field);
  for (const [field, matches] of byField) {
    if (matches.some((match) => match.full)) continue;
    const explained = matches.every((match) =>
      wholeFields.some((other) => index.docs.find((doc) => doc.field.name === other)?.descriptionStems.some((stem) => sameWord(stem, draft.tokens[match.tokens[0]!]!.stem))),
    );
    if (explained) {
      claim(draft, matches.flatMap((match) => match.tokens));
      byField.delete(field);
    }
  }

  for (const [field, matches] of byField) {
    const spans = fullestMentions([...new Map(matches.map((match) => [match.tokens.join(","), match])).values()].sort((a, b) => a.tokens[0]! - b.tokens[0]!));
    let kept = spans;
    if (spans.length > 1) {
      const joined = spans.every((span, i) => i === 0 || adjacent(spans[i - 1]!, span) || coordinated(draft.tokens, question, spans[i - 1]!.tokens.at(-1)!, span.tokens[0]!));
      if (!joined) {
        // "conditionally approved": one value qualifies the other; keep the rarer, more specific one.
        const rarest = [...spans].sort((a, b) => a.count - b.count)[0]!;
        kept = spans.filter((span) => span.tokens.join(",") === rarest.tokens.join(","));
        draft.notes.push(`read "${spans.map((span) => wordsOf(draft, span.tokens)).join(" ")}" as ${field} = ${rarest.value}`);
      }
    }
    // "unresolved, either open or escalated": the negated and the plain values are two conditions.
    for (const negated of [false, true]) {
      const side = kept.filter((span) => (span.negated || negatedAt(draft.tokens, span.tokens[0]!)) === negated);
      if (side.length === 0) continue;
      const values = [...new Set(matches.filter((match) => side.some((span) => span.tokens.join(",") === match.tokens.join(","))).map((match) => match.value))];
      const words = mentionWords(draft, side);
      const filter: Filter =
        values.length === 1 ? { field, op: negated ? "ne" : "eq", value: values[0]!, words } : { field, op: negated ? "not_in" : "in", values, words };
      draft.filters.push(filter);
      if (side.some((span) => !span.full)) draft.weak.add(filter);
      const read = side.map((span) => span.value).filter((value, i, all) => all.indexOf(value) === i);
      const relation = negated ? (read.length === 1 ? "≠" : "not in") : read.length === 1 ? "=" : "in";
      if (side.some((span) => !span.full || span.synonym)) draft.notes.push(`read "${words}" as ${field} ${relation} ${read.join(", ")}`);
    }
    claim(draft, matches.flatMap((match) => match.tokens));
    // The negation word is explained too.
    for (const span of kept) if (negatedAt(draft.tokens, span.tokens[0]!)) claim(draft, negationIndexes(draft.tokens, span.tokens[0]!));
  }
}

function negationIndexes(tokens: Token[], at: number): number[] {
  const found: number[] = [];
  for (let i = at - 1; i >= 0 && i >= at - 4; i--) if (/^(not|no|never|without|none|non)$/.test(tokens[i]!.text)) found.push(i);
  return found;
}

const wordsOf = (draft: Draft, indexes: number[]) => indexes.map((i) => draft.tokens[i]!.text).join(" ");

const SCALE_TOP = /^(worst|highest|most|greatest|maximum|max|top)$/;
const SCALE_BOTTOM = /^(lowest|least|minimum|min|mildest)$/;

/**
 * "the worst severity level", "the highest priority": a superlative said of a categorical field whose
 * values are levels of a scale (minor, moderate, serious) is its top or bottom level, a condition.
 * Returns where the superlatives stand, so that they are not also read as the operation.
 */
function linkScaleLevels(draft: Draft, index: SchemaIndex, catalog: ValueCatalog): Span[] {
  const read: Span[] = [];
  for (const doc of index.docs) {
    const field = doc.field.name;
    const order = scaleOrder(fieldCatalog(catalog, field)?.values?.map(({ value }) => value) ?? []);
    if (!order || draft.filters.some((filter) => filter.field === field)) continue;
    for (const token of draft.tokens) {
      const top = SCALE_TOP.test(token.text);
      if (!top && !SCALE_BOTTOM.test(token.text)) continue;
      const named = draft.tokens.slice(token.index + 1, token.index + 3).find((next) => !next.stop);
      if (!named || !freeOf(draft)(named) || !doc.nameStems.some((stem) => sameWord(stem, named.stem))) continue;
      const value = top ? order.at(-1)! : order[0]!;
      const words = wordsOf(draft, [token.index, named.index]);
      draft.filters.push({ field, op: "eq", value, words });
      draft.notes.push(`read "${words}" as ${field} = ${value}, the ${top ? "highest" : "lowest"} of its levels`);
      claim(draft, [token.index, named.index]);
      read.push({ start: token.start, end: token.end });
      break;
    }
  }
  return read;
}

/** A description naming the extreme of its values: "class I, II or III (I is the most serious)". */
const DESCRIBED_EXTREME = /\b([\w-]+) is the (most|least|highest|lowest) ([a-z-]+)/i;

/**
 * "the most serious class of recalls" when the description says "I is the most serious": that value;
 * "the least serious" is the other end of the values as the description lists them.
 */
function linkDescribedExtremes(draft: Draft, index: SchemaIndex, catalog: ValueCatalog): Span[] {
  const read: Span[] = [];
  for (const doc of index.docs) {
    const description = doc.field.description ?? "";
    const said = DESCRIBED_EXTREME.exec(description);
    const values = fieldCatalog(catalog, doc.field.name)?.values?.map(({ value }) => value) ?? [];
    const extreme = said && values.find((value) => value.toLowerCase() === said[1]!.toLowerCase());
    if (!said || !extreme) continue;
    const position = (value: string) => new RegExp(`(?<![\\w-])${escapeRegExp(value)}(?![\\w-])`).exec(description)?.index ?? -1;
    const listed = [...values].sort((a, b) => position(a) - position(b));
    const other = listed.some((value) => position(value) < 0) ? undefined : listed[0] === extreme ? listed.at(-1) : listed.at(-1) === extreme ? listed[0] : undefined;
    const describedTop = /most|highest/i.test(said[2]!);
    for (const token of draft.tokens) {
      const top = SCALE_TOP.test(token.text);
      if (!freeOf(draft)(token) || (!top && !SCALE_BOTTOM.test(token.text))) continue;
      const next = draft.tokens.slice(token.index + 1, token.index + 3).find((candidate) => !candidate.stop);
      if (!next || !freeOf(draft)(next) || !sameWord(next.stem, contentStems(said[3]!)[0] ?? "")) continue;
      const value = top === describedTop ? extreme : other;
      if (!value) continue;
      const named = draft.tokens.slice(next.index + 1, next.index + 3).filter((candidate) => freeOf(draft)(candidate) && doc.nameStems.some((stem) => sameWord(stem, candidate.stem)));
      const words = wordsOf(draft, [token.index, next.index]);
      draft.filters.push({ field: doc.field.name, op: "eq", value, words });
      draft.notes.push(`read "${words}" as ${doc.field.name} = ${value}, as its description says`);
      claim(draft, [token.index, next.index, ...named.map((candidate) => candidate.index)]);
      read.push({ start: token.start, end: token.end });
      break;
    }
  }
  return read;
}

/** After a level, maybe past the word for what it grades ("minor damage or less"), not a comparison ("and more than two"). */
const LEVEL_UP = /^(?:[a-z]+\s+)?(?:or\s+(?:more severe|more serious|worse|higher|above|greater|more|over)|and\s+(?:above|up|higher|worse))\b(?!\s+(?:than\b|\d))/;
const LEVEL_DOWN = /^(?:[a-z]+\s+)?(?:or\s+(?:less severe|better|lower|below|less|under|milder)|and\s+(?:below|lower|under|better))\b(?!\s+(?:than\b|\d))/;

/**
 * "moderate or worse", "at least serious", "minor or below": a level of a scale said with a bound is
 * that level and those above (or below) it.
 */
function widenScaleLevels(draft: Draft, question: string, catalog: ValueCatalog) {
  const lower = question.toLowerCase();
  draft.filters.forEach((filter, at) => {
    if (filter.op !== "eq" || typeof filter.value !== "string" || !filter.words) return;
    const order = scaleOrder(fieldCatalog(catalog, filter.field)?.values?.map(({ value }) => value) ?? []);
    const said = new RegExp(`\\b${escapeRegExp(filter.words.toLowerCase())}\\b`).exec(lower)?.index ?? -1;
    if (!order || said < 0) return;
    const end = said + filter.words.length;
    const rest = lower.slice(end);
    const raised = LEVEL_UP.exec(rest.trimStart())?.[0];
    const after = raised ?? LEVEL_DOWN.exec(rest.trimStart())?.[0];
    const before = /\bat\s+(least|most)\s+$/.exec(lower.slice(0, said));
    if (!after && !before) return;
    const up = after ? raised !== undefined : before?.[1] === "least";
    const level = order.indexOf(filter.value);
    const values = up ? order.slice(level) : order.slice(0, level + 1);
    if (values.length < 2) return;
    draft.filters[at] = { field: filter.field, op: "in", values, words: filter.words };
    draft.notes.push(`read "${filter.words}" ${up ? "or above" : "or below"} as ${filter.field} in ${values.join(", ")}`);
    const [from, to] = after ? [end, end + (rest.length - rest.trimStart().length) + after.length] : [before!.index, said];
    claim(draft, draft.tokens.filter((token) => token.start >= from && token.end <= to).map((token) => token.index));
  });
}

/** Two mentions of one value, one right after the other: "home" "equity" "lines" of heloc (home equity line). */
const adjacent = (a: ValueMatch, b: ValueMatch) => a.value === b.value && b.tokens[0] === a.tokens.at(-1)! + 1;

/** The words of mentions of values, those of one value said one after the other together: "mortgages, home equity lines". */
const mentionWords = (draft: Draft, spans: ValueMatch[]) =>
  spans.map((span, i) => `${i === 0 ? "" : adjacent(spans[i - 1]!, span) ? " " : ", "}${wordsOf(draft, span.tokens)}`).join("");

/**
 * A value said in passing and again in full ("home loans (… home equity lines)" of heloc) is read where
 * it is said in full: words of a value said one after the other are one mention, and a mention by parts
 * of a value is left out when the value is named whole or at more length elsewhere.
 */
function fullestMentions(spans: ValueMatch[]): ValueMatch[] {
  const runs: ValueMatch[][] = [];
  for (const span of spans) {
    const run = runs.at(-1);
    if (run && adjacent(run.at(-1)!, span)) run.push(span);
    else runs.push([span]);
  }
  const length = (run: ValueMatch[]) => run.reduce((sum, span) => sum + span.tokens.length, 0);
  const weaker = (run: ValueMatch[], other: ValueMatch[]) =>
    other !== run && other[0]!.value === run[0]!.value && run.every((span) => !span.full) && (other.some((span) => span.full) || length(other) > length(run));
  return runs.filter((run) => !runs.some((other) => weaker(run, other))).flat();
}

/** Boolean fields named by their name or by the clause of their description ("True if the ticket missed its resolution target"). */
function linkBooleans(draft: Draft, index: SchemaIndex, synonyms?: Synonyms) {
  for (const doc of index.docs) {
    if (doc.field.type !== "boolean") continue;
    const content = draft.tokens.filter((token) => !token.stop && freeOf(draft)(token) && !isEntityWord(index, token.stem));
    // "unresolved" names the field "resolved", negated.
    const bare = (token: Token) => {
      const rest = /^(?:un|non|in)-?(.{4,})$/.exec(token.text)?.[1];
      return rest && doc.nameStems.length === 1 && sameWord(contentStems(rest)[0] ?? "", doc.nameStems[0]!);
    };
    const byName = doc.nameStems.length > 0 && doc.nameStems.every((_, at) => content.some((token) => saysNameWord(doc, draft.tokens, token, at) || bare(token)));
    const nameHits = content.filter((token) => doc.nameStems.some((_, at) => saysNameWord(doc, draft.tokens, token, at)) || bare(token));
    const clauseHits = content.filter((token) => doc.descriptionStems.some((stem) => sameWord(token.stem, stem)));
    // The clause must be named by words particular to this field, not by words many fields share.
    const distinctive = clauseHits.filter((token) => weight(index, token.stem) >= 0.5 && !nameHits.includes(token));
    const strength = nameHits.length + distinctive.reduce((sum, token) => sum + weight(index, token.stem), 0);
    const single = distinctive.length === 1 && nameHits.length === 0 && weight(index, distinctive[0]!.stem) >= 1 && distinctive[0]!.stem.length >= 5;
    // One word of the name that no other field uses ("evacuate" of evacuation_ordered) names it too.
    // A short one ("boil" of boil_advisory, "stat" of stat_order) when it is the name's first word.
    const singleName =
      nameHits.length === 1 && weight(index, nameHits[0]!.stem) >= 1 && (nameHits[0]!.stem.length >= 5 || (nameHits[0]!.stem.length >= 4 && sameWord(doc.nameStems[0]!, nameHits[0]!.stem)));
    if (!byName && !(nameHits.length + distinctive.length >= 2 && strength >= 1.5) && !single && !singleName) {
      linkStatedState(draft, index, doc, synonyms);
      continue;
    }
    const hits = [...new Set([...nameHits, ...distinctive])].sort((a, b) => a.index - b.index);
    // "inactive" is the negation of "active"; "unfit" is not, when the description itself says "unfit".
    const spelledNegative = hits.some((token) => {
      const rest = /^(un|non|in)-?(.{4,})$/.exec(token.text)?.[2];
      return rest !== undefined && !doc.descriptionStems.includes(token.stem) && [...doc.nameStems, ...doc.descriptionStems].some((stem) => sameWord(stem, contentStems(rest)[0] ?? ""));
    });
    const negatedHit = hits.find((token) => negatedAt(draft.tokens, token.index));
    // "fell short of the pass mark", "still open, not back in service": the words for the opposite state come first, and decide.
    const stated = statedState(doc.field, draft.tokens, freeOf(draft));
    const opposed = stated?.opposite === true && stated.tokens[0]! < hits[0]!.index;
    const negated = opposed || Boolean(negatedHit) || spelledNegative;
    // The field's own name stands for true ("drivable"); the words of its description for what the clause says.
    const polarity = nameHits.length > 0 || doc.polarity;
    const value = negated ? !polarity : polarity;
    if (opposed) claim(draft, stated.tokens);
    draft.filters.push({ field: doc.field.name, op: "eq", value, words: hits.map((token) => token.text).join(" ") });
    if (!byName) draft.notes.push(`read "${hits.map((token) => token.text).join(" ")}" as ${doc.field.name} = ${value}`);
    claim(draft, hits.map((token) => token.index));
    if (negatedHit) claim(draft, negationIndexes(draft.tokens, negatedHit.index));
  }
}

/**
 * A boolean field named by a word for its state or the opposite state ("late" of on_time, "failed" of passed),
 * or by a synonym of its one-word name ("scrubbed" of cancelled).
 */
function linkStatedState(draft: Draft, index: SchemaIndex, doc: FieldDoc, synonyms?: Synonyms) {
  const stated = statedState(doc.field, draft.tokens, freeOf(draft)) ?? statedBySynonym(draft, index, doc, synonyms);
  if (!stated) return;
  const negated = negatedAt(draft.tokens, stated.tokens[0]!);
  // The name states the true state, whatever the description's clause says.
  const value = stated.opposite === negated;
  const words = wordsOf(draft, stated.tokens);
  draft.filters.push({ field: doc.field.name, op: "eq", value, words });
  draft.notes.push(`read "${words}" as ${doc.field.name} = ${value}`);
  claim(draft, stated.tokens);
  if (negated) claim(draft, negationIndexes(draft.tokens, stated.tokens[0]!));
}

/**
 * A yes/no field named by a synonym of its name, or by a synonym of one word of a two-word name with
 * the other word said once in the question: "scrubbed" of cancelled, "a branch to shut" of branch_closed.
 */
function statedBySynonym(draft: Draft, index: SchemaIndex, doc: FieldDoc, synonyms?: Synonyms): { tokens: number[]; opposite: boolean } | undefined {
  if (!synonyms || doc.nameWords.length === 0 || doc.nameWords.length > 2) return undefined;
  const bySynonym = (word: string) =>
    synonyms(word)
      .map((synonym) => synonymSpans(index, draft.tokens, tokenize(synonym).map((token) => token.stem), word, freeOf(draft))[0])
      .find((span) => span !== undefined);
  const said = (at: number) => draft.tokens.filter((token) => !token.stop && freeOf(draft)(token) && sameWord(token.stem, doc.nameStems[at]!));
  for (let at = 0; at < doc.nameWords.length; at++) {
    const other = doc.nameWords.length === 2 ? said(1 - at) : [];
    if (doc.nameWords.length === 2 && other.length !== 1) continue;
    const span = bySynonym(doc.nameWords[at]!);
    if (span) return { tokens: [...span, ...other].map((token) => token.index).sort((a, b) => a - b), opposite: false };
  }
  return undefined;
}

/**
 * Optional identifier or text fields named by their description ("because the electricity supplier's
 * grid failed" → utility_ref, "the electricity provider's incident number … for mains failures"): the
 * record has one.
 */
function linkPresence(draft: Draft, index: SchemaIndex, catalog: ValueCatalog) {
  for (const doc of index.docs) {
    if (doc.field.type !== "string" || doc.field.required || fieldCatalog(catalog, doc.field.name)?.values) continue;
    const stats = fieldCatalog(catalog, doc.field.name);
    if (!stats || stats.present === 0 || stats.present === catalog.total) continue;
    const content = draft.tokens.filter((token) => !token.stop && freeOf(draft)(token) && !isEntityWord(index, token.stem));
    const hits = content.filter((token) => doc.descriptionStems.some((stem) => sameWord(token.stem, stem)) && weight(index, token.stem) >= 1 && token.stem.length >= 5);
    // One word is enough only when it is long and specific ("electricity"), not "insurer" for "insured location".
    if (hits.length === 0 || (hits.length === 1 && hits[0]!.text.length < 8)) continue;
    const negated = hits.some((token) => negatedAt(draft.tokens, token.index));
    draft.filters.push({ field: doc.field.name, op: negated ? "absent" : "present", words: hits.map((token) => token.text).join(" ") });
    draft.notes.push(`read "${hits.map((token) => token.text).join(" ")}" as: ${doc.field.name} is ${negated ? "not " : ""}set`);
    claim(draft, hits.map((token) => token.index));
  }
}

/** Fields of the given types named in a window of words around a span. */
function nearestField(draft: Draft, index: SchemaIndex, span: Span, types: Set<string>, reach = 4): FieldMention | undefined {
  const at = draft.tokens.filter((token) => overlaps(token, span)).map((token) => token.index);
  const [first, last] = at.length ? [Math.min(...at), Math.max(...at)] : [draft.tokens.findIndex((token) => token.start >= span.end), -1];
  const window = (token: Token) => {
    const distance = token.index < first ? first - token.index : token.index - Math.max(last, first);
    return distance > 0 && distance <= reach + 1 && freeOf(draft)(token);
  };
  // The closest field of the type ("at least three nights got a rating" is of nights); of equally close ones, the best named.
  const distance = (mention: FieldMention) => Math.min(...mention.tokens.map((token) => (token < first ? first - token : token - Math.max(last, first))));
  const typed = mentionFields(index, draft.tokens, window).filter((mention) => types.has(fieldType(index, mention.field)));
  return typed.reduce<FieldMention | undefined>((best, mention) => (!best || distance(mention) < distance(best) ? mention : best), undefined);
}

const fieldType = (index: SchemaIndex, name: string) => index.docs.find((doc) => doc.field.name === name)?.field.type ?? "string";
const fieldsOfType = (schema: ProductSchema, types: Set<string>) => schema.fields.filter((field) => types.has(field.type));

/** Whether `value` could be compared with the number field: within ten times its stored range. */
function plausible(catalog: ValueCatalog, field: string, value: number): boolean {
  const stats = fieldCatalog(catalog, field);
  if (value === 0 || typeof stats?.min !== "number" || typeof stats.max !== "number") return true;
  return value <= Math.max(Math.abs(stats.max), 1) * 10 && (stats.min <= 0 || value >= stats.min / 10);
}

/** The words of a total right before or after a quantity ("totalling over $500", "$500 in total"), if any. */
function comparedTotal(question: string, quantity: Span): Span | undefined {
  const after = TOTAL_AFTER.exec(question.slice(quantity.end));
  if (after) return { start: quantity.end + after.index + (after[1]?.length ?? 0), end: quantity.end + after.index + after[0].length };
  const before = TOTAL_BEFORE.exec(question.slice(0, quantity.start));
  return before ? { start: before.index, end: before.index + before[0].trimEnd().length } : undefined;
}

function linkQuantities(draft: Draft, question: string, index: SchemaIndex, schema: ProductSchema, catalog: ValueCatalog, taken: Span[]) {
  for (const quantity of findQuantities(question, taken)) {
    const numeric = fieldsOfType(schema, NUMERIC);
    // "more than four hours", "heavier than seventy pounds": a unit after the number picks a field kept in
    // units of that kind and converts the number into the field's unit.
    const unitWord = /^\s+([a-z]+)/i.exec(question.slice(quantity.end))?.[1];
    const unit = unitWord ? unitOf(unitWord) : undefined;
    const kinded = unit ? numeric.filter((candidate) => fieldUnit(candidate)?.dimension === unit.dimension) : [];
    const totalled = quantity.compared ? comparedTotal(question, quantity) : undefined;
    const totals = totalled ? numeric.filter((candidate) => /(^|_)total(_|$)/.test(candidate.name)) : [];
    const mentioned = nearestField(draft, index, quantity, NUMERIC);
    const mention = unit && mentioned && !kinded.some((candidate) => candidate.name === mentioned.field) ? undefined : mentioned;
    let field: string | undefined = totals.length === 1 && !mention?.byName ? totals[0]!.name : (mention?.field ?? (kinded.length === 1 ? kinded[0]!.name : undefined));
    if (totalled) {
      draft.comparedTotals.push(totalled);
      claim(draft, draft.tokens.filter((token) => overlaps(token, totalled)).map((token) => token.index));
    }
    const target = unit && field ? fieldUnit(schema.fields.find((candidate) => candidate.name === field)!) : undefined;
    const factor = unit && target ? conversion(unit, target) : undefined;
    if (factor !== undefined && factor !== 1) {
      quantity.value = Math.round(quantity.value * factor * 1e6) / 1e6;
      if (quantity.to !== undefined) quantity.to = Math.round(quantity.to * factor * 1e6) / 1e6;
      draft.notes.push(`took ${question.slice(quantity.start, quantity.end)} ${unitWord} as ${quantity.value} in the unit of ${field}`);
    }
    if (unit && field) {
      const unitToken = draft.tokens.find((token) => token.start >= quantity.end && token.text === unitWord!.toLowerCase());
      if (unitToken) draft.claimed.add(unitToken.index);
    }
    const pool = quantity.currency ? numeric.filter(isMoney) : numeric.filter((candidate) => !isMoney(candidate));
    const fits = (name: string) => plausible(catalog, name, quantity.value);
    if (!field && quantity.compared) {
      // A number no field's values come near ("at least fifteen thousand" of a duration in months) names
      // none of them: it stays unexplained, and the product explains less of the question.
      field = (pool.length ? pool : numeric.length === 1 ? numeric : []).find((candidate) => fits(candidate.name))?.name;
      if (field && pool.length > 1) draft.notes.push(`took ${field} for "${question.slice(quantity.start, quantity.end)}"`);
    } else if (field && !mention?.byName && !unit && !fits(field)) {
      // "at least fifteen thousand fans" is no count of goals: the one field whose values reach that far.
      const fitting = pool.filter((candidate) => fits(candidate.name));
      if (fitting.length === 1) {
        draft.notes.push(`took ${fitting[0]!.name} for "${question.slice(quantity.start, quantity.end)}": ${field} never comes near it`);
        field = fitting[0]!.name;
      }
    }
    if (!field) continue;
    if (quantity.currency && isCents(schema.fields.find((candidate) => candidate.name === field)!)) {
      quantity.value *= 100;
      if (quantity.to !== undefined) quantity.to *= 100;
      draft.notes.push(`took ${question.slice(quantity.start, quantity.end)} as ${quantity.value} cents`);
    }
    const words = question.slice(quantity.start, quantity.end);
    draft.filters.push(
      quantity.op === "between"
        ? { field, op: "between", values: [quantity.value, quantity.to!], words }
        : { field, op: quantity.op, value: quantity.value, words },
    );
    claim(draft, [...draft.tokens.filter((token) => overlaps(token, quantity)).map((token) => token.index), ...(mention?.tokens ?? [])]);
  }
}

/** Words that say a count is nothing: "where nothing slid", "with no injuries", "zero defects". */
const NONE = /^(no|nothing|none|zero|without)$/;

/** "missions where nothing slid" (slides_triggered), "visits with no complaints": a count field named after "no" is 0. */
function linkZeroCounts(draft: Draft, index: SchemaIndex, schema: ProductSchema) {
  const counts = schema.fields.filter((candidate) => candidate.type === "integer" && !fieldUnit(candidate) && !isMoney(candidate));
  for (const token of draft.tokens) {
    if (!NONE.test(token.text) || !freeOf(draft)(token)) continue;
    const next = draft.tokens.slice(token.index + 1, token.index + 3).find((candidate) => !candidate.stop);
    if (!next || !freeOf(draft)(next)) continue;
    const named = counts.filter((candidate) => index.docs.find((doc) => doc.field.name === candidate.name)?.nameStems.some((stem) => sameWord(stem, next.stem)));
    if (named.length !== 1 || draft.filters.some((filter) => filter.field === named[0]!.name)) continue;
    const words = wordsOf(draft, [token.index, next.index]);
    draft.filters.push({ field: named[0]!.name, op: "eq", value: 0, words });
    draft.notes.push(`read "${words}" as ${named[0]!.name} = 0`);
    claim(draft, [token.index, next.index]);
  }
}

/** Words for what a number is measured against, and the fields that keep such a number. */
const TARGET_WORDS = /^(target|targets|goal|goals|aim|quota|capacity|budget|limit|allowance|plan)$/;
const TARGET_FIELD = /(^|_)(goal|target|quota|capacity|budget|limit|allowance|planned|expected)(_|$)/;
const SHORT_OF = /^(short|below|under|missed|miss|misses|missing)$/;
const BEYOND = /^(over|above|exceeded|exceeding|exceeds|beyond|surpassed|beat)$/;
const REACHED = /^(met|meet|meets|reached|reach|reaches|hit|hits|made)$/;
/** "booked to capacity", "filled up to capacity", "sold at capacity": "to" and "at" reach a target only after such a verb. */
const FILLED = /^(booked|filled|sold|full|up|running|ran|run)$/;

/**
 * "fell short of their target", "went over budget", "booked to capacity": the number a record is
 * measured against (goal_units) compared with the one it measures, named in the question or the
 * one number field sharing a word of its name (units_collected).
 */
function linkTargets(draft: Draft, index: SchemaIndex, schema: ProductSchema) {
  const numbers = fieldsOfType(schema, NUMERIC);
  const targets = numbers.filter((candidate) => TARGET_FIELD.test(candidate.name));
  if (targets.length !== 1) return;
  const target = targets[0]!;
  for (const token of draft.tokens) {
    const filledTo = /^(to|at)$/.test(token.text) && FILLED.test(draft.tokens[token.index - 1]?.text ?? "");
    const op = SHORT_OF.test(token.text) ? "lt" : BEYOND.test(token.text) ? "gt" : REACHED.test(token.text) || filledTo ? "gte" : undefined;
    if (!op || !freeOf(draft)(token)) continue;
    const said = draft.tokens.slice(token.index + 1, token.index + 4).find((candidate) => !candidate.stop && candidate.text !== "of");
    if (!said || !freeOf(draft)(said) || !TARGET_WORDS.test(said.text)) continue;
    const stems = contentStems(target.name);
    // The one number sharing a word with the target (boxes_collected of goal_boxes), else one named just before the comparison.
    const before = draft.tokens.slice(Math.max(0, token.index - 4), token.index);
    const named = mentionFields(index, before, freeOf(draft)).find((mention) => mention.field !== target.name && NUMERIC.has(fieldType(index, mention.field)) && mention.byName);
    const sharing = numbers.filter((candidate) => candidate !== target && contentStems(candidate.name).some((stem) => stems.includes(stem)));
    const field = sharing.length === 1 ? sharing[0]!.name : named?.field;
    if (!field) continue;
    const words = wordsOf(draft, [token.index, said.index]);
    draft.filters.push({ field, op, than: target.name, words });
    draft.notes.push(`read "${words}" as ${field} ${op === "lt" ? "below" : op === "gt" ? "above" : "at least"} ${target.name}`);
    claim(draft, [token.index, said.index, ...(named?.field === field ? named.tokens : [])]);
    return;
  }
}

/** "came back", "brought back", "returned": the return of a thing, whichever date field keeps it. */
const RETURNED = /^(?:came|come|comes|coming|brought|bring|got|handed|sent|went)$/;
const MORE = /^(more|greater|higher|larger|bigger|longer)$/;
const LESS = /^(less|fewer|lower|smaller|shorter)$/;

/**
 * Conditions between two fields of a record: "came back after they were due" (returned_at after
 * due_date), "counted more stock than the system held" (counted_qty above system_qty). The field
 * compared with is named right after the comparison; the other is named before it (a date field, or
 * the one that came back), or, of numbers, between "more" and "than" or just before "more".
 */
function linkFieldComparisons(draft: Draft, index: SchemaIndex, schema: ProductSchema) {
  linkTargets(draft, index, schema);
  const { tokens } = draft;
  const typed = (types: Set<string>, from: number, to: number, except?: string) =>
    mentionFields(index, tokens.slice(Math.max(0, from), Math.max(0, to)), freeOf(draft)).find((mention) => types.has(fieldType(index, mention.field)) && mention.field !== except);
  for (const token of tokens) {
    if (!freeOf(draft)(token)) continue;
    const next = tokens[token.index + 1];
    const later = token.text === "after" || (token.text === "later" && next?.text === "than");
    const earlier = token.text === "before" || (token.text === "earlier" && next?.text === "than");
    const than = MORE.test(token.text) || LESS.test(token.text) ? tokens.slice(token.index + 1, token.index + 5).find((candidate) => candidate.text === "than") : undefined;
    if (!later && !earlier && !than) continue;
    const start = (than ?? (next?.text === "than" ? next : token)).index + 1;
    const types = than ? NUMERIC : DATES;
    const other = typed(types, start, start + 4);
    if (!other || /^\d/.test(tokens[start]?.text ?? "")) continue;
    const returned = tokens.slice(0, token.index).find((candidate, at) => RETURNED.test(candidate.text) && tokens[at + 1]?.text === "back");
    const field = than
      ? (typed(NUMERIC, token.index + 1, than.index, other.field) ?? typed(NUMERIC, token.index - 4, token.index, other.field))?.field
      : ((returned ? fieldsOfType(schema, DATES).find((candidate) => candidate.name !== other.field && /(^|_)return/.test(candidate.name))?.name : undefined) ??
        typed(DATES, 0, token.index, other.field)?.field);
    if (!field) continue;
    const op = later || (than && MORE.test(token.text)) ? "gt" : "lt";
    const used = [token.index, ...(than ? [than.index] : next?.text === "than" ? [next.index] : []), ...other.tokens, ...(returned ? [returned.index, returned.index + 1] : [])];
    const words = wordsOf(draft, [...new Set(used)].sort((a, b) => a - b));
    draft.filters.push({ field, op, than: other.field, words });
    draft.notes.push(`read "${words}" as ${field} ${op === "gt" ? "above" : "below"} ${other.field}`);
    claim(draft, used);
    for (const mention of mentionFields(index, tokens, freeOf(draft))) if (mention.field === field) claim(draft, mention.tokens);
  }
}

function linkDates(draft: Draft, question: string, index: SchemaIndex, schema: ProductSchema, catalog: ValueCatalog, today: Date) {
  const dated = fieldsOfType(schema, DATES);
  if (dated.length === 0) return;
  for (const expression of findDates(question)) {
    const mention = nearestField(draft, index, expression, DATES, 3);
    const field = mention?.field ?? dated.find((candidate) => candidate.required)?.name ?? dated[0]!.name;
    const stats = fieldCatalog(catalog, field);
    const range = resolveDate(expression, today, stats?.min as string | undefined, stats?.max as string | undefined);
    const words = expression.words.trim();
    const filter: Filter | undefined =
      range.from && range.to
        ? { field, op: "between", values: [range.from, range.to], words }
        : range.from
          ? { field, op: "gte", value: range.from, words }
          : range.to
            ? { field, op: "lte", value: range.to, words }
            : undefined;
    if (!filter) continue;
    draft.filters.push(filter);
    // A date in a story ("sent back in February") may not be the date the record was filed.
    if (!mention) draft.weak.add(filter);
    if (!mention && dated.length > 1) draft.notes.push(`dated "${words}" by ${field}`);
    if (expression.year === undefined && !expression.relative && !expression.iso) draft.notes.push(`took "${words}" as ${range.from?.slice(0, 7) ?? range.to?.slice(0, 7)}`);
    claim(draft, [...draft.tokens.filter((token) => overlaps(token, expression)).map((token) => token.index), ...(mention?.tokens ?? [])]);
  }
}

/** The words "how many" counts ("how many recorded power outages were …"): the content words after it, up to the first stop word. */
function countedRun(tokens: Token[], lower: string): Token[] {
  const match = /\bhow many\s+(?:of\s+(?:the|those|these|our|all|them)\s+)?/.exec(lower);
  if (!match) return [];
  const run: Token[] = [];
  for (const token of tokens.filter((candidate) => candidate.start >= match.index + match[0].length)) {
    if (token.stop) break;
    run.push(token);
  }
  return run;
}

/** "(we're in April 2026)", "as of 1 March 2026", "today is …": the day the question's relative dates count from. */
const REFERENCE = /\(?\b(?:we(?:'re| are)(?: now)? in|today is|it(?:'s| is) now)\s+([^,;()?]+)\)?/i;

/**
 * The question with a stated reference date blanked out (same length: spans stay put), and that
 * date as today; else the question and the real today.
 */
function referenceDate(question: string, today: Date): { question: string; today: Date } {
  const match = REFERENCE.exec(question);
  const [expression] = match ? findDates(match[1]!) : [];
  if (!match || !expression) return { question, today };
  const { from } = resolveDate({ ...expression, bound: "within" }, today);
  if (!from) return { question, today };
  return { question: question.slice(0, match.index) + " ".repeat(match[0].length) + question.slice(match.index + match[0].length), today: new Date(`${from}T00:00:00Z`) };
}

/** Identifiers ("CLM-30104") → equality on the field whose values look like them. */
function linkCodes(draft: Draft, question: string, schema: ProductSchema, catalog: ValueCatalog) {
  for (const { code, start, end } of findCodes(question)) {
    const prefix = /^[A-Za-z]+-/.exec(code)?.[0].toUpperCase();
    const looksLike = (field: string) => {
      const stats = fieldCatalog(catalog, field);
      const seen = [...(stats?.values?.map((value) => value.value) ?? []), ...(stats?.samples ?? [])];
      return seen.some((value) => value.toUpperCase() === code.toUpperCase()) || Boolean(prefix && seen.some((value) => value.toUpperCase().startsWith(prefix)));
    };
    const strings = schema.fields.filter((field) => field.type === "string");
    const field = [schema.fields.find((candidate) => candidate.name === schema.primaryKey)!, ...strings].find((candidate) => candidate && looksLike(candidate.name));
    if (!field) continue;
    const exact = fieldCatalog(catalog, field.name)?.values?.find((value) => value.value.toUpperCase() === code.toUpperCase())?.value ?? code.toUpperCase();
    draft.filters.push({ field: field.name, op: "eq", value: exact, words: code });
    claim(draft, draft.tokens.filter((token) => token.start >= start && token.end <= end).map((token) => token.index));
  }
}

/** The best-named field of the given types: its name said in full, or part of it with words of its description. */
function measureOf(mentions: FieldMention[], index: SchemaIndex, types: Set<string>, least = 0.5): FieldMention | undefined {
  return mentions.find((mention) => types.has(fieldType(index, mention.field)) && mention.score >= least);
}

/**
 * A number field named by a whole word of its name but not in full ("freight" of freight_cost, "days"
 * of lead_time_days): the measure when no other number field of the product is named that way, and
 * the word stands alone — not in a compound with words the product does not explain ("hotel room
 * cost", "patient satisfaction rating" name something else).
 */
function partlyNamed(mentions: FieldMention[], index: SchemaIndex, draft: Draft): FieldMention | undefined {
  const { tokens } = draft;
  const unexplained = (at: number) => {
    const token = tokens[at];
    return Boolean(token && !token.stop && !OPERATION_WORDS.has(token.text) && !draft.claimed.has(at) && !isEntityWord(index, token.stem));
  };
  const named = mentions.filter((mention) => {
    const doc = index.docs.find((candidate) => candidate.field.name === mention.field);
    return (
      doc &&
      NUMERIC.has(doc.field.type) &&
      mention.tokens.some(
        (at) => !isEntityWord(index, tokens[at]!.stem) && doc.nameStems.some((stem) => sameWord(stem, tokens[at]!.stem)) && !unexplained(at - 1) && !unexplained(at + 1),
      )
    );
  });
  return named.length === 1 ? named[0] : undefined;
}

/** "most recent" asks for the latest date, not the largest number. */
const asLatest = (text: string) => text.replace(/\bmost recent(ly)?\b/g, "latest");

export function planQuestion(
  asked: string,
  product: PlanProduct,
  catalog: ValueCatalog,
  { today: now = new Date(), synonyms }: { today?: Date; synonyms?: Synonyms } = {},
): Planned {
  const { question, today } = referenceDate(asked, now);
  const index = indexSchema(product);
  const tokens = tokenize(question);
  const draft: Draft = { tokens, claimed: new Set(), filters: [], notes: [], weak: new Set(), comparedTotals: [] };
  const lower = asLatest(question.toLowerCase());

  const rounding = findRounding(question);
  const limitSpan = findLimit(question);
  const codes = findCodes(question);
  const dates = findDates(question);
  const fixed: Span[] = [...(rounding ? [rounding] : []), ...(limitSpan ? [limitSpan] : []), ...codes, ...dates];
  for (const token of tokens) if (inside(token, rounding ? [rounding] : []) || inside(token, limitSpan ? [limitSpan] : [])) draft.claimed.add(token.index);
  for (const token of tokens) if (OPERATION_WORDS.has(token.text)) draft.claimed.add(token.index);
  // "in hours", "how many minutes": the unit of the answer, not a condition (while conditions are read), when the product keeps a number in such units.
  const numbers = fieldsOfType(product.schema, NUMERIC);
  const answerUnits = [...question.matchAll(ANSWER_UNIT)]
    .filter((match) => {
      const asked = unitOf(match[1]!);
      return /^dollars?$/i.test(match[1]!) ? numbers.some(isMoney) : Boolean(asked && numbers.some((candidate) => fieldUnit(candidate)?.dimension === asked.dimension));
    })
    .flatMap((match) => tokens.filter((token) => token.start === match.index + match[0].length - match[1]!.length && !draft.claimed.has(token.index)))
    .map((token) => token.index);
  for (const at of answerUnits) draft.claimed.add(at);

  linkCodes(draft, question, product.schema, catalog);
  // Words that name a field in full are not read as part of a value ("site" of site_id is not "macro-site");
  // the words of its description are ("critical" of "severity: sev1 (critical)").
  linkFieldComparisons(draft, index, product.schema);
  const described = linkDescribedExtremes(draft, index, catalog);
  const byName = mentionFields(index, tokens, freeOf(draft)).filter((mention) => mention.byName);
  linkValues(draft, question, index, catalog, new Set(byName.flatMap((mention) => mention.nameTokens)), synonyms);
  widenScaleLevels(draft, question, catalog);
  const levels = [...described, ...linkScaleLevels(draft, index, catalog)];
  // "critical severity": the field's name, said beside its value, is explained by the condition too.
  for (const mention of byName) if (draft.filters.some((filter) => filter.field === mention.field)) claim(draft, mention.nameTokens);
  linkQuantities(draft, question, index, product.schema, catalog, fixed);
  linkDates(draft, question, index, product.schema, catalog, today);
  linkZeroCounts(draft, index, product.schema);
  // "how many customers …": the words after "how many" name what is counted or added up, not a condition.
  const howManyWords = /\bhow many\s+(\w+)/i.exec(question);
  const counted = howManyWords ? tokens.find((token) => token.start === howManyWords.index + howManyWords[0].length - howManyWords[1]!.length) : undefined;
  const countedMention = counted && mentionFields(index, [counted], freeOf(draft)).find((mention) => mention.byName && NUMERIC.has(fieldType(index, mention.field)));
  const reserved = countedMention ? [counted.index] : [];
  for (const at of reserved) draft.claimed.add(at);
  linkBooleans(draft, index, synonyms);
  linkPresence(draft, index, catalog);
  for (const at of [...reserved, ...answerUnits]) draft.claimed.delete(at);

  const mentions = mentionFields(index, tokens, freeOf(draft));
  const entityTokens = tokens.filter((token) => !token.stop && isEntityWord(index, token.stem));
  const pluralEntity = entityTokens.some((token) => /s$/.test(token.text) && !/ss$/.test(token.text));

  let operation: Operation = "list";
  let field: string | undefined;
  let fields: string[] = [];
  let sort: Plan["sort"];
  let limit = 25;
  let problem: string | undefined;
  const dimension = dimensionMention(draft, product.schema, question);
  const numericMeasure = measureOf(mentions, index, NUMERIC) ?? dimension;
  // "their total bill" is one record's total, not a sum of records.
  const hasTotal = TOTAL.test(blank(question.toLowerCase(), draft.comparedTotals).replace(/\b(their|his|her|its|whose)\s+(total|overall|combined)\b/g, "$1"));
  const free = tokens.filter((token) => !token.stop && freeOf(draft)(token) && !isEntityWord(index, token.stem) && !mentions.some((mention) => mention.tokens.includes(token.index)));
  const specific = free.length >= 2 && !pluralEntity;
  // "What did we spend on …" asks how much, as "how much did we spend on …" does.
  const howMuch = /\bhow much\b|^\s*what (?:did|have|has) we (?:spend|spent|pay|paid|bill|billed|charge|charged|earn|earned|invoice|invoiced|lose|lost|refund|refunded)\b/.exec(question.toLowerCase());

  // "Which cell site …, and how many of its subscribers …": the question is about one record, "how many" about one of its fields.
  const trailingHowMany = /^\s*(which|what)\b/.test(lower) && /(,|\band)\s+how many\b/.test(lower);
  // "Count the …", "the count of …" ask for a count; "what bacteria count", "which stock count" name a field or a record.
  const howMany = trailingHowMany ? null : /\bhow many\b|\bnumber of\b|^\s*count\b|\b(?:the|a|total)\s+count\s+of\b/.exec(question.toLowerCase());
  const afterHowMany = howMany ? tokens.filter((token) => token.start >= howMany.index + howMany[0].length && !token.stop).slice(0, 2) : [];
  // "How many of the disputes …" counts records, whatever number field "disputes" may resemble.
  // Money is "how much": "how many credit applications" counts them, whatever field "credit" names.
  const moneyMeasure = Boolean(numericMeasure && isMoney(product.schema.fields.find((candidate) => candidate.name === numericMeasure.field)!)) && !/\bhow many (dollars|euros|pounds)\b/.test(lower);
  // "How many litres of water did we lose …" adds up the field kept in litres, whatever "water" names.
  const unitCounted = afterHowMany[0] ? unitOf(afterHowMany[0].text) : undefined;
  const countsUnits = Boolean(
    unitCounted &&
      !isEntityWord(index, afterHowMany[0]!.stem) &&
      !/\bhow many of\b/.test(lower) &&
      numbers.some((candidate) => fieldUnit(candidate)?.dimension === unitCounted.dimension),
  );
  const countsRecords =
    !countsUnits &&
    (/\bhow many of (the|those|these|our|all)\b/.test(lower) ||
    afterHowMany.some((token) => isEntityWord(index, token.stem)) ||
    !numericMeasure ||
    moneyMeasure ||
    !afterHowMany.some((token) => numericMeasure.tokens.includes(token.index)) ||
    // "How many bags …" counts bags: a number field named only in part and kept in a unit (bag_weight_kg) is not what is counted.
    (!numericMeasure.byName && measuredInUnits(product.schema, numericMeasure.field)));
  // "at least 3", "at most 2" compare a number; they are not superlatives.
  // The superlatives that named a level of a scale ("the worst severity level") are not the operation.
  const withoutLevels = blank(question.toLowerCase(), levels);
  const unbounded = asLatest(withoutLevels).replace(/\bat (least|most)\b/g, " ");
  const judged = MAX_WORDS.test(unbounded) || MIN_WORDS.test(unbounded) ? undefined : JUDGED.exec(unbounded)?.[1]?.toLowerCase();
  const superlative = MAX_WORDS.test(unbounded) || judged ? "max" : MIN_WORDS.test(unbounded) ? "min" : undefined;

  if (AVERAGE.test(lower)) {
    // An average or a total needs its number named clearly: "rate" alone is not "course_rating".
    operation = "avg";
    field = (measureOf(mentions, index, NUMERIC, 1) ?? partlyNamed(mentions, index, draft) ?? dimensionMention(draft, product.schema, question, { money: entityTokens.length > 0 }))?.field;
  } else if (superlative && numericMeasure && (numericMeasure.byName || dimension?.field === numericMeasure.field || !groupable(mentions, catalog, draft))) {
    // "Which building was out of action the longest?": a superlative of the measure its dimension word names, not a count per building.
    operation = superlative;
    field = numericMeasure.field;
  } else if (howMany && countsRecords && !/\bhow many\b[^?]*\b(total|combined|altogether)\b/.test(lower)) {
    operation = YES_NO.test(lower) ? "exists" : "count";
  } else if (superlative && groupable(mentions, catalog, draft)) {
    // "Which supplier had the most audits?": count per supplier, the largest count first.
    operation = "group";
    field = groupable(mentions, catalog, draft)!;
    sort = { field, direction: superlative === "max" ? "desc" : "asc" };
    limit = limitSpan?.limit ?? 1;
  } else if (superlative) {
    // "the biggest award": the one number field a word of the question names in part (even a word
    // for the records themselves: amount_awarded_usd of Grant Awards), else the only one.
    const numericMentions = mentions.filter((mention) => NUMERIC.has(fieldType(index, mention.field)));
    operation = superlative;
    field = partlyNamed(mentions, index, draft)?.field ?? (numericMentions.length === 1 ? numericMentions[0]!.field : singleNumeric(product.schema));
  } else if (howMany || howMuch || hasTotal) {
    // "How much have we spent on tyre jobs?" adds up many records; "how much did the riders pay on the run where …?"
    // reads one record (of runs); "handed back to fans of the show that …" is a condition on many refunds.
    const singledOut = SINGLED_OUT.exec(lower)?.[1];
    const oneRecord = Boolean(singledOut && !PLURAL.test(singledOut) && isEntityWord(index, tokenize(singledOut)[0]?.stem ?? ""));
    // So does "how many gallons did the pumps send …": units counted over many records.
    const over = howMuch ?? (countsUnits ? howMany : null);
    const unitAt = countsUnits ? afterHowMany[0]!.index : -1;
    const many = Boolean(over && !oneRecord && tokens.some((token) => token.start > over.index + over[0].length && token.index !== unitAt && !token.stop && PLURAL.test(token.text)));
    const adds = hasTotal || !specific || many;
    field = (adds ? (measureOf(mentions, index, NUMERIC, 1) ?? partlyNamed(mentions, index, draft) ?? dimensionMention(draft, product.schema, question)) : numericMeasure)?.field ?? (hasTotal ? singleNumeric(product.schema) : undefined);
    // "How many parcels went missing altogether?": no number to add up, so the records are counted.
    if (adds) operation = field ? "sum" : (hasTotal && /\b(number|count)\b/.test(lower)) || (howMany && countsRecords) ? "count" : "sum";
    else {
      operation = "lookup";
      fields = [...new Set([...(field ? [field] : []), ...namedFields(mentions, draft)])].slice(0, 4);
    }
  } else if (YES_NO.test(lower)) {
    operation = "exists";
  } else {
    const reported = mentions.filter((mention) => mention.score >= 1 && !draft.filters.some((filter) => filter.field === mention.field));
    if (trailingHowMany && numericMeasure && !reported.includes(numericMeasure)) reported.push(numericMeasure);
    // "what was their bill?", "what did that visit cost?": a word for a measure names the field it reads.
    if (dimension && !reported.some((mention) => mention.field === dimension.field)) reported.push(dimension);
    // "What bacteria count did …": the word right after "what" names what is asked, even by a field's description alone.
    const asked = /^\s*what\s+/i.test(question) && tokens[1] && !tokens[1].stop ? mentions.filter((mention) => mention.tokens.includes(1)) : [];
    if (asked.length === 1 && !reported.includes(asked[0]!) && !draft.filters.some((filter) => filter.field === asked[0]!.field)) reported.unshift(asked[0]!);
    // "…: whose freight was on it, and what was the load declared at?": a later "what" clause names a field by a word of its name.
    for (const wh of tokens.filter((token) => token.index > 1 && token.text === "what" && /(?:[,;:]|\band)\s*$/i.test(question.slice(0, token.start)))) {
      const next = tokens.slice(wh.index + 1).filter((token) => !token.stop).slice(0, 2);
      const named = mentions.find(
        (mention) => mention.nameTokens.some((at) => next.some((token) => token.index === at)) && !reported.includes(mention) && !draft.filters.some((filter) => filter.field === mention.field),
      );
      if (named) reported.push(named);
    }
    // "Which deliveries were late …": a plural right after "which" asks for the records a filter keeps,
    // whatever it calls them; without a filter it is a search ("which machines were leaking oil?").
    const pluralAsked = /^\s*(which|what)\s+([a-z]+)/i.exec(question)?.[2];
    const asksRecords = Boolean(draft.filters.length > 0 && pluralAsked && /[^s]s$/i.test(pluralAsked) && !tokenize(pluralAsked)[0]?.stop && !mentions.some((mention) => mention.byName && mention.tokens.includes(1)));
    const listing = pluralEntity || asksRecords || (/^\s*(which|list|show|name)\b/i.test(question) && draft.filters.length > 0 && reported.length === 0);
    if (!listing && (reported.length > 0 || draft.filters.length === 0)) {
      operation = "lookup";
      fields = reported.slice(0, 4).map((mention) => mention.field);
    } else if (!listing && /^\s*what(?:'s|\s+(?:was|is))\s+the\b/i.test(question)) {
      // "What was the Portland hotel's revenue per room in March?": a value asked of records whose fields hold no such thing.
      problem = `no field of ${product.title} holds what the question asks`;
    }
  }

  // "the worst hygiene score" is the lowest score; "the worst delay" the longest.
  if (judged && field && (operation === "max" || operation === "min")) {
    const measured = product.schema.fields.find((candidate) => candidate.name === field);
    operation = (judged === "best") === MORE_IS_BETTER.test(`${field} ${measured?.description ?? ""}`) ? "max" : "min";
  }
  // "Which show lost the most money?" of a net "negative when the show lost money": the most negative.
  if (field && (operation === "max" || operation === "min") && LOSS.test(lower) && LOSS.test(NEGATIVE_MEANS.exec(product.schema.fields.find((candidate) => candidate.name === field)?.description ?? "")?.[1] ?? "")) {
    operation = operation === "max" ? "min" : "max";
    draft.notes.push(`read a loss as a negative ${field}`);
  }
  if ((operation === "sum" || operation === "avg" || operation === "min" || operation === "max") && !field) {
    problem = `no number field of ${product.title} matches what the question ${operation === "avg" ? "averages" : operation === "sum" ? "adds up" : "compares"}`;
  }
  // "How many beds were occupied …" of appointments: what is counted is nothing the product describes, no field and no value.
  const countedWords = countedRun(tokens, lower);
  const describes = (token: Token) => index.described.some((stem) => sameWord(stem, token.stem));
  if (
    (operation === "count" || operation === "exists") &&
    countedWords.length &&
    !countedWords.some((token) => token.text === "times" || isEntityWord(index, token.stem) || describes(token) || draft.claimed.has(token.index) || mentions.some((mention) => mention.tokens.includes(token.index)))
  ) {
    problem = `${product.title} holds no ${countedWords.map((token) => token.text).join(" ")} to count`;
  }
  const scaled = ["sum", "avg", "min", "max"].includes(operation) ? field : operation === "lookup" && fields.length <= 1 ? (fields[0] ?? field) : undefined;
  const measured = product.schema.fields.find((candidate) => candidate.name === scaled && NUMERIC.has(candidate.type));
  const scale = measured ? answerScale(question, measured) : undefined;
  if (operation === "min" || operation === "max") {
    sort = { field: field!, direction: operation === "max" ? "desc" : "asc" };
    limit = limitSpan?.limit ?? 1;
    // "… and which unit was it on?": the other fields the question names are reported of the winner.
    // A text field named in part right after "which" or "what" is asked too ("which unit" of unit_number).
    const asked = tokens
      .filter((token) => /^(which|what)$/.test(token.text) && token.index > 0)
      .map((token) => tokens[token.index + 1])
      .flatMap((next) => (next && !next.stop ? mentions.filter((mention) => mention.tokens.includes(next.index) && fieldType(index, mention.field) === "string").map((mention) => mention.field).slice(0, 1) : []));
    fields = [...new Set([...namedFields(mentions, draft), ...asked])]
      .filter((named) => named !== field && named !== product.schema.primaryKey && !draft.filters.some((filter) => filter.field === named))
      .slice(0, 3);
  }
  // "its latest audit": the superlative applies to this product only when it names its records or a date field.
  const dateSuperlative = (regex: RegExp) => {
    const match = new RegExp(`${regex.source}\\s+(\\w+)`, "i").exec(lower);
    if (!match) return false;
    const next = tokenize(match.at(-1)!)[0];
    return Boolean(next && (isEntityWord(index, next.stem) || mentions.some((mention) => DATES.has(fieldType(index, mention.field)) && mention.tokens.length > 0)));
  };
  const latest = dateSuperlative(LATEST) && !dates.some((date) => /last/i.test(date.words));
  const earliest = dateSuperlative(EARLIEST) && !dates.some((date) => /first/i.test(date.words)) && !limitSpan;
  if (!sort && (latest || earliest)) {
    const mention = measureOf(mentions, index, DATES);
    const dated = mention?.field ?? fieldsOfType(product.schema, DATES)[0]?.name;
    if (dated) {
      sort = { field: dated, direction: latest ? "desc" : "asc" };
      if (operation === "lookup" || operation === "list") limit = limitSpan?.limit ?? 1;
      draft.notes.push(`${latest ? "latest" : "earliest"} by ${dated}`);
    }
  }
  // "events that knocked subscribers off service": a number field named without a number means it is above zero.
  if (operation === "count" || operation === "list" || operation === "exists") {
    for (const mention of mentions) {
      if (mention.score < 1 || mention.field === field || !NUMERIC.has(fieldType(index, mention.field))) continue;
      if (draft.filters.some((filter) => filter.field === mention.field) || mention.tokens.some((token) => afterHowMany.some((after) => after.index === token))) continue;
      draft.filters.push({ field: mention.field, op: "gt", value: 0, words: wordsOf(draft, mention.tokens) });
      draft.notes.push(`read "${wordsOf(draft, mention.tokens)}" as ${mention.field} above 0`);
      claim(draft, mention.tokens);
    }
  }
  if (operation === "lookup" && fields.length === 0 && field) fields = [field];
  if (operation === "lookup") limit = Math.min(limit, 3);
  if (limitSpan && operation === "list") limit = limitSpan.limit;

  const group = /\b(?:by|per|for each|each|broken down by|breakdown by)\s+([a-z_ -]+)/i.exec(question);
  if (group && (operation === "count" || operation === "sum" || operation === "avg")) {
    const groupMention = mentionFields(index, tokenize(group[1]!), () => true).find((mention) => mention.byName && fieldCatalog(catalog, mention.field)?.values);
    if (groupMention) {
      draft.notes.push(`grouped by ${groupMention.field}`);
      if (operation === "count") {
        operation = "group";
        field = groupMention.field;
      } else draft.notes.push(`${operation} per ${groupMention.field}`);
    }
  }

  for (const mention of [...mentions, ...(numericMeasure ? [numericMeasure] : []), ...(dimension ? [dimension] : [])]) if (mention.field === field || fields.includes(mention.field)) claim(draft, mention.tokens);
  claim(draft, [...entityTokens.map((token) => token.index), ...answerUnits]);
  const content = tokens.filter((token) => !token.stop && !OPERATION_WORDS.has(token.text));
  const explained = content.length ? content.filter((token) => draft.claimed.has(token.index)).length / content.length : 0;
  const filters = draft.filters.slice(0, MAX_FILTERS);
  if (draft.filters.length > MAX_FILTERS) draft.notes.push(`kept the first ${MAX_FILTERS} conditions`);

  return {
    plan: {
      product: `${product.domain}/${product.name}`,
      operation,
      ...(field ? { field } : {}),
      fields,
      filters,
      ...(sort ? { sort } : {}),
      limit,
      search: question,
      ...(rounding ? { decimals: rounding.decimals } : {}),
      ...(scale ? { scale } : {}),
      confidence: Math.round(explained * 100) / 100,
      notes: draft.notes.slice(0, 12),
    },
    explained,
    ...(problem ? { problem } : {}),
    measureNamed: Boolean(field && mentions.find((mention) => mention.field === field)?.byName),
    weakFilters: filters.flatMap((filter, at) => (draft.weak.has(filter) ? [at] : [])),
  };
}

/** A categorical field the question names outright and no filter uses: what "which X had the most" counts by. */
function groupable(mentions: FieldMention[], catalog: ValueCatalog, draft: Draft): string | undefined {
  return mentions.find((mention) => mention.fullName && fieldCatalog(catalog, mention.field)?.values && !draft.filters.some((filter) => filter.field === mention.field))?.field;
}

/** Fields the question names outright and no filter uses: what a lookup reports. */
function namedFields(mentions: FieldMention[], draft: Draft): string[] {
  return mentions.filter((mention) => mention.byName && !draft.filters.some((filter) => filter.field === mention.field)).map((mention) => mention.field);
}

/**
 * "the heaviest load", "how far", "how much did they pay": a word of a dimension names the one number
 * field kept in its unit. Money words are too loose for an average of records the question does not
 * call by the product's own words ("what did the average hotel room cost" is no average of a
 * product's one money field, "the average cost of a visit" of Clinic Visits is): `money: false`
 * leaves them out.
 */
function dimensionMention(draft: Draft, schema: ProductSchema, question: string, { money = true } = {}): FieldMention | undefined {
  const numeric = fieldsOfType(schema, NUMERIC);
  for (const token of draft.tokens) {
    // A superlative ("longest") is claimed as an operation word, and still names its dimension.
    if (!freeOf(draft)(token) && !OPERATION_WORDS.has(token.text)) continue;
    // "how many hours did they wait": the unit an answer is asked in names the one number field of its dimension.
    const askedIn = /^how many$/i.test(wordsBefore(draft.tokens, token.index, 2)) ? unitOf(token.text) : undefined;
    const measuring = (askedIn ? numeric.filter((field) => fieldUnit(field)?.dimension === askedIn.dimension) : measuringFields(token, numeric)).filter((field) => money || !isMoney(field));
    // "the longest …, and for how many days?": of several, the one kept in the unit asked.
    const asked = [...question.matchAll(ANSWER_UNIT)].map((match) => unitOf(match[1]!)).filter((unit) => unit !== undefined);
    // Of several money fields, the one the question's words for money name ("handed back" of refunded_usd), else
    // the one every record has is what a record costs ("the fees" are amount_usd, not the credits some got back).
    const required = measuring.every(isMoney) ? measuring.filter((candidate) => candidate.required) : [];
    const field =
      measuring.length === 1
        ? measuring[0]
        : (moneyNamed(draft, measuring)?.field ??
          measuring.filter((candidate) => asked.some((unit) => fieldUnit(candidate)?.size === unit.size && fieldUnit(candidate)?.dimension === unit.dimension)).at(0) ??
          (required.length === 1 ? required[0] : undefined));
    if (field) return { field: field.name, score: 2, byName: true, fullName: false, tokens: [token.index], nameTokens: [token.index] };
  }
  // "How much money have we handed back?": no measure word, but words for what one money field holds.
  const named = money ? moneyNamed(draft, numeric.filter(isMoney), /\b(how much|money)\b/i.test(question) ? 1 : 2) : undefined;
  return named && { field: named.field.name, score: 1, byName: false, fullName: false, tokens: named.tokens, nameTokens: [] };
}

/** Of several money fields, the one the question's words for money name best, if one does (at least `floor`). */
function moneyNamed(draft: Draft, fields: ProductField[], floor = 1): { field: ProductField; tokens: number[] } | undefined {
  if (fields.length < 2 || !fields.every(isMoney)) return undefined;
  const scored = fields.map((field) => ({ field, ...moneySense(draft.tokens, field) })).sort((a, b) => b.score - a.score);
  return scored[0]!.score >= floor && scored[0]!.score > scored[1]!.score ? scored[0] : undefined;
}

/** Whether a number field is kept in a unit of measure or a currency, not as a count. */
function measuredInUnits(schema: ProductSchema, name: string): boolean {
  const measured = schema.fields.find((candidate) => candidate.name === name);
  return Boolean(measured && (fieldUnit(measured) || isMoney(measured)));
}

/** The `n` words before token `at`, as written. */
const wordsBefore = (tokens: Token[], at: number, n: number) =>
  tokens
    .slice(Math.max(0, at - n), at)
    .map((token) => token.text)
    .join(" ");

function singleNumeric(schema: ProductSchema): string | undefined {
  const numeric = fieldsOfType(schema, NUMERIC);
  return numeric.length === 1 ? numeric[0]!.name : undefined;
}
