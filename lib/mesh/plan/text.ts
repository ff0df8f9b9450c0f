/**
 * Words of a question, a field name or a stored value, reduced to comparable
 * stems: lower case, irregular forms to their base ("lost" → "lose"), common
 * suffixes stripped the same way on both sides. Pure functions.
 */

export interface Token {
  /** The word as written, lower-cased. */
  text: string;
  stem: string;
  /** Position in the question's token list. */
  index: number;
  /** Character offsets in the original text. */
  start: number;
  end: number;
  stop: boolean;
  /** Written with a capital inside the question ("Portland", not "Which"): a name. */
  proper: boolean;
}

const IRREGULAR: Record<string, string> = {
  said: "say", lost: "lose", losing: "lose", won: "win", winning: "win", paid: "pay", sent: "send", went: "go", gone: "go",
  found: "find", bought: "buy", sold: "sell", made: "make", gave: "give", given: "give", got: "get", gotten: "get",
  held: "hold", left: "leave", broke: "break", broken: "break", spent: "spend", brought: "bring", caught: "catch",
  ran: "run", began: "begin", begun: "begin", knew: "know", known: "know", took: "take", taken: "take", wrote: "write",
  written: "write", chose: "choose", chosen: "choose", fell: "fall", fallen: "fall", told: "tell", thought: "think",
  met: "meet", kept: "keep", built: "build", felt: "feel", children: "child", people: "person", men: "man",
  women: "woman", dollar: "usd", dollars: "usd", euro: "eur", euros: "eur", sterling: "gbp", peso: "mxn", pesos: "mxn", yen: "jpy", feet: "foot", died: "die", dying: "die", flew: "fly", flown: "fly", rode: "ride", drove: "drive",
  // "customs" (the border authority) is no plural of "custom", nor the stem of "customer".
  customs: "customs", tyre: "tire", tyres: "tire", kerb: "curb", cheque: "check", cheques: "check", aluminium: "aluminum", grey: "gray", programme: "program", programmes: "program", catalogue: "catalog", driven: "drive", stole: "steal", stolen: "steal", shut: "shut", threw: "throw", thrown: "throw", shown: "show", drawn: "draw", ridden: "ride", seen: "see", worse: "bad", worst: "bad", better: "good", best: "good",
};

/** Past participles not spelled with -ed. */
const IRREGULAR_PARTICIPLES = new Set(
  "said lost won paid sent gone found bought sold made given got gotten held left broken spent brought caught begun known taken written chosen fallen told thought met kept built felt flown ridden driven stolen shut thrown shown drawn done seen".split(" "),
);

/** The base of an irregular form ("lost" → lose, "thrown" → throw), if it is one. */
export const baseForm = (word: string): string | undefined => IRREGULAR[word];

/** Whether a word is written as a past participle ("declined", "scrubbed", "thrown"): the form of a state a record is in. */
export const isParticiple = (word: string) => (word.length > 4 && word.endsWith("ed")) || IRREGULAR_PARTICIPLES.has(word);

export const STOPWORDS = new Set(
  (
    "a an the of in on at for to from by with about into onto over under than then as is are was were be been being am " +
    "do does did done doing have has had having i me my we our ours us you your he him his she her it its they them their " +
    "this that these those there here what which who whom whose when where why how many much any some all each every " +
    "and or but if so such can could would should will shall may might must also just only still ever even yet " +
    "get got up out off down again very too more most less least one ones s t"
  ).split(" "),
);

/** Words that are not stop words in values ("out" in "move-out") but carry no meaning in a question. */
const QUESTION_FILLER = new Set("please show tell list give find me know want need".split(" "));

/** Stems already computed: the planner stems the same field names, descriptions and catalog values for every question. */
const stems = new Map<string, string>();
const STEMS_HELD = 50_000;

/** Light suffix stripping; both sides of every comparison go through it. */
export function stem(word: string): string {
  let found = stems.get(word);
  if (found === undefined) {
    if (stems.size >= STEMS_HELD) stems.clear();
    found = stemOf(word);
    stems.set(word, found);
  }
  return found;
}

function stemOf(word: string): string {
  const lower = word.toLowerCase().replace(/['’]s$/, "");
  const base = IRREGULAR[lower];
  // The base goes through the same stripping as the word itself would ("sold" → sell → "sel", as "sell" is).
  if (base) return base === lower ? base : stemOf(base);
  if (lower.length <= 3 || /\d/.test(lower)) return lower;
  // British and American spellings meet: fibre/fiber, colour/color, organise/organize.
  let w = lower
    .replace(/^(.{2,}[^aeiou])re(s|d)?$/, "$1er$2")
    .replace(/^(.{3,})our(s|ed|ing)?$/, "$1or$2")
    .replace(/^(.{3,})is(e|es|ed|ing|ation|ations)$/, "$1iz$2");
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ally") && w.length > 6) w = w.slice(0, -2);
  else if (w.endsWith("ly") && w.length > 5) w = w.slice(0, -2);
  // Twice, so that a word and its derivative meet: "environmental" → "environment" → "environ".
  for (let pass = 0; pass < 2; pass++) {
    const suffix = ["ness", "ment", "ing", "ed", "er", "al", "ion"].find((candidate) => w.endsWith(candidate) && w.length - candidate.length >= 3);
    if (!suffix) break;
    w = w.slice(0, -suffix.length);
  }
  if (/([bdfgklmnprt])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith("y") && w.length > 3) w = `${w.slice(0, -1)}i`;
  return w;
}

/** Stems that are words of their own, never a longer form of a shorter stem ("customs" is not "custom"). */
const WHOLE_STEMS = new Set(["customs"]);

/** Whether two stems name the same word: equal, or one a long prefix of the other ("investigat", "investigator"). */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  if (WHOLE_STEMS.has(a) || WHOLE_STEMS.has(b)) return false;
  const shorter = a.length <= b.length ? a : b;
  const longer = shorter === a ? b : a;
  return shorter.length >= 6 && longer.startsWith(shorter) && longer.length - shorter.length <= 3;
}

const WORD = /[a-z0-9]+(?:['’][a-z]+)?/gi;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const raw = match[0].toLowerCase();
    // "wouldn't" → "would" + "not": the negation is a word of its own.
    const parts = raw.endsWith("n't") || raw.endsWith("n’t") ? [raw.slice(0, -3), "not"] : [raw.replace(/['’]s$/, "")];
    for (const part of parts) {
      if (!part) continue;
      const stop = STOPWORDS.has(part) || QUESTION_FILLER.has(part);
      const proper = /^[A-Z]/.test(match[0]) && /\w/.test(text.slice(0, match.index)) && !/[.!?]\s*$/.test(text.slice(0, match.index));
      tokens.push({ text: part, stem: stop ? part : stem(part), index: tokens.length, start: match.index, end: match.index + match[0].length, stop, proper });
    }
  }
  return tokens;
}

/** `text` as a regular expression matching it literally. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The stems of a name or value that carry meaning ("est_repair_usd" → est, repair, usd; "CNC Cell" → cnc, cell). */
export function contentStems(text: string): string[] {
  const spaced = text.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ");
  return tokenize(spaced).filter((token) => !token.stop).map((token) => token.stem);
}

export const NEGATORS = new Set(["not", "no", "never", "without", "none", "neither", "nor", "non", "excluding", "except"]);
