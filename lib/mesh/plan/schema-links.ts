import type { ProductField, ProductSchema } from "../../validation/product";
import type { FieldCatalog, ValueCatalog } from "./catalog";
import { statePhrases } from "./lexicon";
import { contentStems, escapeRegExp, isParticiple, NEGATORS, sameWord, stem, tokenize, type Token } from "./text";

/**
 * Schema linking: which fields a question names (by field name or by the
 * words of the field's description) and which stored values it mentions
 * (from the value catalog), with negation. Pure functions over tokens.
 */

/** Parts of field names that say nothing about their meaning. */
const GENERIC = new Set(["id", "usd", "eur", "gbp", "mxn", "pct", "num", "nr", "flag", "is", "has", "ref", "code"]);
/** Catalog values that are placeholders, not facts. */
const PLACEHOLDERS = new Set(["other", "unknown", "none", "na", "n/a", "misc", "general", "tbd"]);
const COORDINATORS = new Set(["or", "and", "either", "nor", "both"]);

export interface FieldDoc {
  field: ProductField;
  nameStems: string[];
  /** The words of the name as written, one per stem. */
  nameWords: string[];
  descriptionStems: string[];
  /** For booleans: the value the description's clause stands for ("True if …" → true, "False if …" → false). */
  polarity: boolean;
  /** The particle a word of the name is said with, by its position among the stems ("sold_out": "out" after "sold"). */
  particles: Map<number, string>;
}

/** Particles that make a verb of a name a different verb ("sold out" is not "sold", "checked in" not "checked"). */
const PARTICLES = new Set(["out", "off", "up", "down", "back", "over", "in", "away"]);

/** Whether `token` says the name's word `at` as the name does: followed by its particle, if the name has one. */
export const saysNameWord = (doc: FieldDoc, tokens: Token[], token: Token, at: number) =>
  sameWord(token.stem, doc.nameStems[at]!) && (!doc.particles.has(at) || tokens[token.index + 1]?.text === doc.particles.get(at));

/**
 * The value a boolean's description clause stands for: "True if it was refunded" → true, "False
 * if it was refunded" → false, and a negated clause the other way ("False if it could not be
 * driven": its words, driven, stand for true).
 */
function clausePolarity(description: string): boolean {
  const clause = description.split(/[.;]/)[0] ?? "";
  const falseClause = /^\s*false\b/i.test(description) || /\bfalse (if|when|once)\b/i.test(clause);
  const negated = /\b(not|never|no|cannot)\b|n't\b/i.test(clause.replace(/^.*?\b(?:true|false)\s+(?:if|when|once)\b/i, ""));
  return falseClause === negated;
}

export interface SchemaIndex {
  docs: FieldDoc[];
  /** In how many fields' name or description a stem appears. */
  df: Map<string, number>;
  /** Words that name the records themselves (the product's title, name, its key's description). */
  entity: string[];
  /** Every word of the product's title, description and field descriptions: too general to single out one value. */
  described: string[];
  /** The words of the product's own title and description: what all its records are about. */
  about: string[];
}

const has = (stems: string[], stem: string) => stems.some((other) => sameWord(other, stem));
/** Whether a question word names a word of a field's name, in the same word class ("deliveries" is not "delivered_on"). */
const namesWord = (doc: FieldDoc, token: Token) =>
  doc.nameStems.some((stem, at) => sameWord(stem, token.stem) && !otherWordClass(token.text, doc.nameWords[at] ?? ""));

export function indexSchema(product: { title: string; name: string; description: string; schema: ProductSchema }): SchemaIndex {
  const docs = product.schema.fields.map((field): FieldDoc => {
    const description = field.description ?? "";
    const all = tokenize(field.name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " "));
    const words = all.filter((token) => !token.stop && !GENERIC.has(token.stem));
    const particles = new Map<number, string>();
    words.forEach((word, at) => {
      const next = all[word.index + 1];
      if (next && PARTICLES.has(next.text)) particles.set(at, next.text);
    });
    return {
      field,
      nameStems: words.map((token) => token.stem),
      nameWords: words.map((token) => token.text),
      descriptionStems: contentStems(description).filter((stem) => stem !== "tru" && stem !== "fals"),
      polarity: clausePolarity(description),
      particles,
    };
  });
  const df = new Map<string, number>();
  for (const doc of docs) for (const stem of new Set([...doc.nameStems, ...doc.descriptionStems])) df.set(stem, (df.get(stem) ?? 0) + 1);
  const key = product.schema.fields.find((field) => field.name === product.schema.primaryKey);
  const grain = /one row per ([a-z -]+)/i.exec(product.description)?.[1]?.split(/\s+/).slice(0, 2).join(" ") ?? "";
  const keyWords = contentStems(key?.description ?? "").filter((stem) => !["number", "identifi", "prefix", "uniqu", "system"].includes(stem));
  const entity = [...new Set([...contentStems(product.title), ...contentStems(product.name.replace(/-/g, " ")), ...contentStems(grain), ...keyWords.slice(0, 2)])];
  const described = [...new Set([...contentStems(product.title), ...contentStems(product.description), ...docs.flatMap((doc) => doc.descriptionStems)])];
  const about = [...new Set([...contentStems(product.title), ...contentStems(product.description)])];
  return { docs, df, entity, described, about };
}

export const weight = (index: SchemaIndex, stem: string) => 1 / Math.max(1, index.df.get(stem) ?? 1);
export const isEntityWord = (index: SchemaIndex, stem: string) => has(index.entity, stem);

export interface FieldMention {
  field: string;
  /** 2+ when the field's name is said in full, less for a part of the name or words of its description. */
  score: number;
  byName: boolean;
  /** Every word of the name is said, even if they are also the records' own name ("supplier" in Supplier Audits). */
  fullName: boolean;
  /** The question words of the mention: words of the field's name, then of its description. */
  tokens: number[];
  /** The words of the field's name alone. */
  nameTokens: number[];
}

/** How strongly the question's free tokens name each field. */
export function mentionFields(index: SchemaIndex, tokens: Token[], free: (token: Token) => boolean): FieldMention[] {
  const content = tokens.filter((token) => !token.stop && free(token));
  return index.docs
    .map((doc): FieldMention => {
      const nameHits = content.filter((token) => namesWord(doc, token));
      const nameStemsHit = doc.nameStems.filter((stem, at) => content.some((token) => sameWord(token.stem, stem) && !otherWordClass(token.text, doc.nameWords[at] ?? "")));
      const full = doc.nameStems.length > 0 && nameStemsHit.length === doc.nameStems.length;
      const descriptionHits = content.filter((token) => !has(doc.nameStems, token.stem) && has(doc.descriptionStems, token.stem) && !isEntityWord(index, token.stem));
      // A name made only of words for the records themselves ("claimed_usd" in Claims) is a weak mention.
      const entityOnly = nameStemsHit.every((stem) => isEntityWord(index, stem));
      const score =
        (full ? (entityOnly ? 0.5 : 2 + doc.nameStems.length) : nameStemsHit.reduce((sum, stem) => sum + (isEntityWord(index, stem) ? 0.3 : 0.8), 0)) +
        descriptionHits.reduce((sum, token) => sum + 0.5 * weight(index, token.stem), 0);
      return { field: doc.field.name, score, byName: full && !entityOnly, fullName: full, tokens: [...nameHits, ...descriptionHits].map((token) => token.index), nameTokens: nameHits.map((token) => token.index) };
    })
    .filter((mention) => mention.score > 0)
    .sort((a, b) => b.score - a.score);
}

export interface ValueMatch {
  field: string;
  value: string;
  count: number;
  /** Question token indexes the value covers. */
  tokens: number[];
  full: boolean;
  /** Matched through a negated form ("unresolved" → not "resolved"). */
  negated: boolean;
  /** The synonym of the value the question used ("turn down" for declined), when it did not use the value's own words. */
  synonym?: string;
}

/** Synonyms of a stored value, from a thesaurus (lib/ai/local/wordnet.ts); none by default. */
export type Synonyms = (value: string) => string[];
const NO_SYNONYMS: Synonyms = () => [];

/** Stored categorical values the question mentions: whole values first ("CNC Cell"), then distinctive words of one ("Austin" of "Austin, TX"). */
/** The stems of every categorical value, worked out once per catalog (a catalog is read-only once built). */
const stemsOf = new WeakMap<ValueCatalog, Map<string, { words: string[]; content: string[] }[]>>();

function valueStemsOf(catalog: ValueCatalog) {
  let stems = stemsOf.get(catalog);
  if (!stems) {
    stems = new Map(
      catalog.fields
        .filter((field) => field.values)
        .map((field) => [field.name, field.values!.map(({ value }) => ({ words: tokenize(value).map((token) => token.stem), content: contentStems(value) }))]),
    );
    stemsOf.set(catalog, stems);
  }
  return stems;
}

/**
 * Each categorical value's synonyms as stems, without those that say nothing (stop words only) or
 * that name one of the field's other values ("decline" of rejected, beside declined), worked out once per catalog.
 */
const synonymStemsOf = new WeakMap<Synonyms, WeakMap<ValueCatalog, Map<string, { synonym: string; stems: string[] }[][]>>>();

function valueSynonymsOf(catalog: ValueCatalog, synonyms: Synonyms) {
  let byCatalog = synonymStemsOf.get(synonyms);
  if (!byCatalog) synonymStemsOf.set(synonyms, (byCatalog = new WeakMap()));
  let found = byCatalog.get(catalog);
  if (!found) {
    const stems = valueStemsOf(catalog);
    found = new Map(
      catalog.fields
        .filter((field) => field.values)
        .map((field) => {
          const others = stems.get(field.name)!;
          return [
            field.name,
            field.values!.map(({ value }, v) =>
              synonyms(value)
                .map((synonym) => ({ synonym, tokens: tokenize(synonym) }))
                .filter(({ tokens }) => tokens.some((token) => !token.stop))
                .filter(({ tokens }) => !others.some((other, o) => o !== v && other.content.some((stem) => tokens.some((token) => sameWord(token.stem, stem)))))
                .map(({ synonym, tokens }) => ({ synonym, stems: tokens.map((token) => token.stem) })),
            ),
          ];
        }),
    );
    byCatalog.set(catalog, found);
  }
  return found;
}

export function matchValues(index: SchemaIndex, catalog: ValueCatalog, tokens: Token[], free: (token: Token) => boolean, synonyms: Synonyms = NO_SYNONYMS): ValueMatch[] {
  const content = tokens.filter((token) => !token.stop && free(token));
  const matches: ValueMatch[] = [];
  const stems = valueStemsOf(catalog);
  const said = valueSynonymsOf(catalog, synonyms);
  for (const field of catalog.fields) {
    if (!field.values) continue;
    const valueStems = stems.get(field.name)!.map((entry) => entry.content);
    const valueWords = field.values.map(({ value }) => tokenize(value).map((token) => token.text));
    const aliases = aliasesOf(index, field.name, field.values.map(({ value }) => value));
    const glossNames = glossNamesOf(index, field.name, field.values.map(({ value }) => value));
    field.values.forEach(({ value, count }, v) => {
      // A code explained in the field's description ("sev1 (critical)") is named by its explanation,
      // as a part of a value: a word that names a field in full ("paid" of paid_usd) stays that field's.
      for (const alias of aliases.get(value) ?? []) {
        // In a long gloss, one short word is too common to single the value out.
        // Nor does a word for what every record is about ("bag returned to the passenger" of a baggage product),
        // unless it is a name ("the Boise hotel") or said beside another word of the gloss ("room-service").
        const glossed = (token: Token | undefined) => Boolean(token && !token.stop && alias.some((stem) => sameWord(stem, token.stem)));
        const about = (token: Token) => has(index.about, token.stem) && !token.proper && !glossed(tokens[token.index - 1]) && !glossed(tokens[token.index + 1]);
        const telling = (token: Token) => !isEntityWord(index, token.stem) && !about(token) && (alias.length <= 3 || token.stem.length >= 5);
        for (const token of content) if (telling(token) && alias.some((stem) => sameWord(stem, token.stem))) matches.push({ field: field.name, value, count, tokens: [token.index], full: false, negated: false });
      }
      const wholeMatch = (span: Token[]) => matches.push({ field: field.name, value, count, tokens: span.filter((token) => !token.stop).map((token) => token.index), full: true, negated: false });
      // A code's name in the description said word for word ("Schedule II" for C2) is the whole value.
      const glossName = glossNames.get(value);
      if (glossName) for (const span of spansOf(tokens, glossName.length, (token, j) => free(token) && token.stem === glossName[j])) wholeMatch(span);
      // Whole values match word for word, stop words included ("move-out" is not "move-in").
      const { words } = stems.get(field.name)![v]!;
      if (valueStems[v]!.length === 0 || PLACEHOLDERS.has(value.toLowerCase())) return;
      const sameAs = (token: Token, j: number) => free(token) && sameWord(token.stem, words[j]!) && !otherWordClass(token.text, valueWords[v]![j] ?? "");
      for (const span of spansOf(tokens, words.length, sameAs)) wholeMatch(span);
      // "no-show" is said "didn't show up", "without showing": a negation, then the rest of the value.
      if (/^(no|non|not)$/.test(words[0] ?? "") && words.length > 1) {
        for (const at of negationStarts(tokens, words.slice(1), free)) {
          matches.push({ field: field.name, value, count, tokens: at, full: true, negated: false });
        }
      }
      for (const token of content) {
        if (matchesNegatedForm(token, valueStems[v]!)) matches.push({ field: field.name, value, count, tokens: [token.index], full: true, negated: true });
      }
      // Everyday phrases for a state, said word for word ("went missing" for lost).
      for (const phrase of statePhrases(value)) {
        const words = tokenize(phrase).map((token) => token.stem);
        for (const span of spansOf(tokens, words.length, (token, j) => free(token) && sameWord(token.stem, words[j]!))) {
          matches.push({ field: field.name, value, count, tokens: span.filter((token) => !token.stop).map((token) => token.index), full: true, negated: false, synonym: phrase });
        }
      }
      for (const { synonym, stems: synonymStems } of said.get(field.name)![v]!) {
        for (const span of synonymSpans(index, tokens, synonymStems, value, free)) {
          matches.push({ field: field.name, value, count, tokens: span.map((token) => token.index), full: true, negated: false, synonym });
        }
      }
    });
    for (const token of content) {
      // A word the product uses to describe itself or its fields ("card" of card-network disputes) singles out no
      // value, unless it is a name ("the Portland warehouse" of "Portland DC", however the description lists them).
      if (token.stem.length < 3 || /^\d+$/.test(token.stem) || isEntityWord(index, token.stem) || (has(index.described, token.stem) && !token.proper)) continue;
      const holders = field.values.filter((_, v) => valueStems[v]!.length > 1 && has(valueStems[v]!, token.stem) && !valueWords[v]!.some((word) => sameWord(stem(word), token.stem) && otherWordClass(token.text, word)));
      if (holders.length === 0 || holders.length > Math.max(2, Math.ceil(field.values.length * 0.3))) continue;
      for (const { value, count } of holders) matches.push({ field: field.name, value, count, tokens: [token.index], full: false, negated: false });
    }
    // Two words said together as they stand together in a value ("the wind farm site" of "Westerwind wind farm")
    // single it out even when the product's description uses each of them.
    const values = field.values;
    content.forEach((token, i) => {
      const next = content[i + 1];
      if (!next || next.index !== token.index + 1 || token.stem.length < 3 || next.stem.length < 3 || isEntityWord(index, token.stem) || isEntityWord(index, next.stem)) return;
      const holders = values.filter((_, v) => {
        const stems = valueStems[v]!;
        return stems.length > 2 && stems.some((stem, at) => sameWord(stem, token.stem) && sameWord(stems[at + 1] ?? "", next.stem));
      });
      if (holders.length !== 1) return;
      const [{ value, count }] = holders as [{ value: string; count: number }];
      matches.push({ field: field.name, value, count, tokens: [token.index, next.index], full: false, negated: false });
    });
  }
  return matches;
}

const AUXILIARIES = new Set("do does did didn't don't doesn't to will would won't can could should".split(" "));

/**
 * Where the question says a word or phrase in place of `word` (a value, a yes/no field's name): a synonym
 * given as stems, said in the word's own form — a participle for a participle ("scrubbed" for
 * cancelled, or "did … turn down" for declined), not "the end" for closed — and, when it is one
 * word, not a word the product uses to describe itself.
 */
export function synonymSpans(index: SchemaIndex, tokens: Token[], synonym: string[], word: string, free: (token: Token) => boolean): Token[][] {
  const participle = isParticiple(word.toLowerCase());
  const inForm = (token: Token) =>
    isParticiple(token.text) === participle ||
    (participle && !/(s|ing)$/.test(token.text) && tokens.slice(Math.max(0, token.index - 5), token.index).some((before) => AUXILIARIES.has(before.text)));
  const fits = (token: Token, j: number) =>
    free(token) &&
    sameWord(token.stem, synonym[j]!) &&
    (j > 0 || (inForm(token) && (synonym.length > 1 || (!isEntityWord(index, token.stem) && !has(index.described, token.stem)))));
  return spansOf(tokens, synonym.length, fits);
}

/** Every run of `length` consecutive tokens whose j-th token `fits` the j-th word. */
function spansOf(tokens: Token[], length: number, fits: (token: Token, j: number) => boolean): Token[][] {
  const spans: Token[][] = [];
  for (let i = 0; i + length <= tokens.length; i++) {
    const span = tokens.slice(i, i + length);
    if (span.every(fits)) spans.push(span);
  }
  return spans;
}

/** Token indexes of each negation word followed, past at most one stop word, by `rest` word for word. */
function negationStarts(tokens: Token[], rest: string[], free: (token: Token) => boolean): number[][] {
  const found: number[][] = [];
  tokens.forEach((token, at) => {
    if (!NEGATORS.has(token.text) || !free(token)) return;
    const start = tokens[at + 1]?.stop && tokens[at + 1]?.text !== rest[0] ? at + 2 : at + 1;
    const span = tokens.slice(start, start + rest.length);
    if (span.length === rest.length && span.every((word, j) => free(word) && sameWord(word.stem, rest[j]!))) found.push([at, ...span.map((word) => word.index)]);
  });
  return found;
}

/**
 * A noun of a question is not the participle of a value: "deliveries" names the records, "delivered"
 * is a status; the two share a stem but not a word class.
 */
export function otherWordClass(questionWord: string, valueWord: string): boolean {
  if (/ed$/.test(valueWord) && !/ed$/.test(questionWord) && /(ies|y|ions?|ments?)$/.test(questionWord)) return true;
  // "nurses" are people, "nursing" a kind of care: a plural noun is not the -ing form of its stem (but "meetings" is of "meeting").
  const ing = /ing$/;
  if (ing.test(valueWord) === ing.test(questionWord)) return false;
  const other = ing.test(valueWord) ? questionWord : valueWord;
  return /[^s]s$/.test(other) && !ing.test(other.slice(0, -1));
}

/** An explanation longer than this many words is prose, not a gloss of one code. */
const MAX_ALIAS_WORDS = 12;

/**
 * The text a field's description gives for each of its stored values, however it lays them out:
 * "sev1 (critical), sev2 (major)", "D dismissed, G guilty", "in: borrowed from another museum; out:
 * lent to a venue" → each value's gloss is the text between it and the next value the description
 * names, up to the end of its sentence.
 */
function glossesOf(index: SchemaIndex, field: string, values: string[]): { value: string; text: string }[] {
  const description = index.docs.find((doc) => doc.field.name === field)?.field.description ?? "";
  const placed = values
    .map((value) => {
      const escaped = escapeRegExp(value);
      // Codes in capitals are matched as written: "A advisory" is not the article "a".
      return { value, at: new RegExp(`(?:^|[^\\w-])${escaped}(?![\\w-])`, /[A-Z]/.test(value) ? "" : "i").exec(description) };
    })
    .filter((entry): entry is { value: string; at: RegExpExecArray } => entry.at !== null)
    .map(({ value, at }) => ({ value, start: at.index + at[0].length }))
    .sort((a, b) => a.start - b.start);
  return placed.map(({ value, start }, i) => {
    const end = placed[i + 1] ? placed[i + 1]!.start - placed[i + 1]!.value.length : description.length;
    return { value, text: description.slice(start, end).split(/\.(?:\s|$)/)[0]! };
  });
}

/**
 * Words a field's description gives for its stored values (see glossesOf). Words every gloss shares,
 * negations and short words say nothing about one value and are left out.
 */
export function aliasesOf(index: SchemaIndex, field: string, values: string[]): Map<string, string[][]> {
  const glosses = glossesOf(index, field, values).map(({ value, text }) => ({
    value,
    stems: contentStems(text).filter((stem) => stem.length >= 3 && !NEGATORS.has(stem) && !/^\d+$/.test(stem)),
  }));
  const shared = (stem: string) => glosses.filter((gloss) => gloss.stems.includes(stem)).length > 1;
  const aliases = new Map<string, string[][]>();
  for (const { value, stems } of glosses) {
    const own = stems.filter((stem) => !shared(stem));
    if (own.length > 0 && stems.length <= MAX_ALIAS_WORDS) aliases.set(value, [own]);
  }
  return aliases;
}

/**
 * The name a description gives a code, when it is a phrase of several words: the gloss up to its
 * first parenthesis or list mark ("C2 Schedule II (e.g. oxycodone …)" → "Schedule II"). Said word for
 * word, it names the value, even where its words are short or shared by the other codes' names
 * ("Schedule III"). Stems of every word, stop words included; only names no other value shares.
 */
export function glossNamesOf(index: SchemaIndex, field: string, values: string[]): Map<string, string[]> {
  const names = glossesOf(index, field, values)
    .map(({ value, text }) => ({ value, stems: tokenize(text.split(/[(,;:]/)[0]!).map((token) => token.stem) }))
    .filter(({ stems }) => stems.length >= 2 && stems.length <= 4);
  const key = (stems: string[]) => stems.join(" ");
  return new Map(names.filter((name) => names.filter((other) => key(other.stems) === key(name.stems)).length === 1).map(({ value, stems }) => [value, stems]));
}

/** Words that leave things out, and reach over a list: "excluding comps and refunds" leaves out both. */
const EXCLUDING = new Set(["excluding", "except", "without"]);
const EXCLUDING_PAIRS = /^(?:(?:leaving|leave|left) out|other than|apart from|aside from|not counting)$/;
/** Waiting for a state is not being in it: "yet to be fixed", "still waiting to be fixed" (not "waiting on a title"). */
const AWAITING = new Set(["yet", "awaiting", "waiting"]);

/**
 * Whether a negation ("not", "without", "n't", "never", "yet to be") stands just before token `at`, with only stop
 * words between; an exclusion ("excluding", "leaving out") also over the items of a list.
 */
export function negatedAt(tokens: Token[], at: number): boolean {
  let listed = false;
  for (let i = at - 1, seen = 0; i >= 0 && seen < (listed ? 6 : 3); i--) {
    const token = tokens[i]!;
    if (excludes(tokens, i)) return true;
    if (NEGATORS.has(token.text) || (AWAITING.has(token.text) && tokens[i + 1]?.text === "to")) return !listed;
    if (!token.stop) seen++;
    // "leaving out calls that were called off": an exclusion reaches into the clause that says what it leaves out.
    if (/^(that|who)$/.test(token.text)) {
      for (let j = i - 1; j >= Math.max(0, i - 3); j--) if (excludes(tokens, j)) return true;
      return false;
    }
    if (/^(but|whether|which)$/.test(token.text)) return false;
    if (COORDINATORS.has(token.text)) listed = true;
  }
  return false;
}

const excludes = (tokens: Token[], i: number) => EXCLUDING.has(tokens[i]!.text) || (i > 0 && EXCLUDING_PAIRS.test(`${tokens[i - 1]!.text} ${tokens[i]!.text}`));

/** Whether the stretch between two token positions joins alternatives ("open or escalated", "Visa, Amex"). */
export function coordinated(tokens: Token[], text: string, from: number, to: number): boolean {
  const between = tokens.slice(from + 1, to);
  if (between.some((token) => COORDINATORS.has(token.text))) return true;
  const a = tokens[from];
  const b = tokens[to];
  return Boolean(a && b && /[,/]/.test(text.slice(a.end, b.start)));
}

/** Stems of a value, for the "un-" forms of negation: "unresolved" names the value "resolved". */
export function matchesNegatedForm(token: Token, stems: string[]): boolean {
  const bare = token.text.replace(/^(un|non)-?/, "");
  return bare !== token.text && bare.length >= 4 && stems.length === 1 && sameWord(contentStems(bare)[0] ?? "", stems[0]!);
}

export const isCategorical = (field: FieldCatalog | undefined) => Boolean(field?.values);
