import type { ProductField } from "../../validation/product";
import { contentStems, tokenize, type Token } from "./text";
import { fieldUnit, isMoney, type Dimension } from "./units";

/**
 * General English the planner needs and a schema rarely spells out: which
 * adjectives measure which dimension ("heaviest" → a field kept in kg), and
 * which words state the opposite of a yes/no field ("late" of on_time,
 * "failed" of passed). Word lists of the language, not of any catalog. Pure.
 */

interface Measure {
  /** Question words that ask for it. */
  words: string[];
  /** The kind of unit a field measuring it is kept in (units.ts), or else stems its name or description uses. */
  dimension?: Dimension;
  stems?: string[];
  /** Money: a field kept in a currency (units.ts). */
  money?: boolean;
}

const MEASURES: Measure[] = [
  { words: ["heavy", "heavier", "heaviest", "light", "lighter", "lightest", "weigh", "weighs", "weighed", "weighing"], dimension: "mass", stems: ["weight", "mass"] },
  { words: ["far", "farther", "farthest", "further", "furthest", "distant", "nearest"], dimension: "distance", stems: ["distanc"] },
  { words: ["long", "longer", "longest", "short", "shorter", "shortest", "quick", "quicker", "quickest", "slow", "slower", "slowest", "lasted", "lasting"], dimension: "time", stems: ["durat"] },
  { words: ["hot", "hotter", "hottest", "cold", "colder", "coldest", "warm", "warmer", "warmest", "cool", "cooler", "coolest"], stems: ["temperatur", "temp", "celsiu", "fahrenheit"] },
  { words: ["tall", "taller", "tallest"], stems: ["height"] },
  { words: ["old", "older", "oldest", "young", "younger", "youngest"], stems: ["age"] },
  { words: ["people", "persons", "attendees", "attendance", "turnout", "participants", "visitors", "heads"], stems: ["head", "attend", "attende", "attendanc", "participant", "visitor", "turnout", "peopl"] },
  {
    words: ["pay", "pays", "paid", "paying", "cost", "costs", "costly", "costliest", "charge", "charged", "spend", "spent", "price", "priced", "owe", "expensive", "cheap", "cheaper", "cheapest", "bill", "billed", "fee", "fees", "dollar", "dollars"],
    money: true,
  },
];

/** The number fields of `fields` that measure what `token` asks ("heaviest" → the fields kept in kg or pounds). */
export function measuringFields(token: Token, fields: ProductField[]): ProductField[] {
  const measure = MEASURES.find((candidate) => candidate.words.includes(token.text));
  if (!measure) return [];
  return fields.filter(
    (field) =>
      (measure.dimension !== undefined && fieldUnit(field)?.dimension === measure.dimension) ||
      (measure.money === true && isMoney(field)) ||
      [...contentStems(field.name), ...contentStems(field.description ?? "").slice(0, 8)].some((stem) => measure.stems?.includes(stem)),
  );
}

const phraseWords = (phrase: string) => tokenize(phrase).map((token) => token.text);

/**
 * What a money field holds, in everyday words: money given back, money taken in, money made or
 * lost. A question saying one ("handed back", "took at the box office", "lost us") picks, of a
 * product's several money fields, the one whose name or description holds its stems.
 */
const MONEY_SENSES = [
  {
    phrases: ["refund", "refunds", "refunded", "reimburse", "reimbursed", "paid back", "pay back", "handed back", "hand back", "given back", "gave back", "give back", "credited back"],
    stems: ["refund", "refunded", "reimbursed", "reimbursement", "repaid"],
  },
  {
    phrases: ["take", "took", "taken", "takings", "gross", "grossed", "brought in", "bring in", "revenue", "sales", "earn", "earned", "income", "box office"],
    stems: ["gross", "revenue", "takings", "sales", "income", "earnings", "box office"],
  },
  { phrases: ["profit", "profits", "made", "make", "lost", "lose", "loss", "losses", "net"], stems: ["net", "profit", "loss", "lost", "margin"] },
].map(({ phrases, stems }) => ({ phrases: phrases.map(phraseWords), stems: stems.flatMap((words) => contentStems(words)) }));

/**
 * How strongly the senses a question says name a money field (2 for each in its name, 1 in its
 * description), and the question's words that said them.
 */
export function moneySense(tokens: Token[], field: ProductField): { score: number; tokens: number[] } {
  const name = contentStems(field.name);
  const description = contentStems(field.description ?? "");
  const sense = { score: 0, tokens: [] as number[] };
  for (const { phrases, stems } of MONEY_SENSES) {
    const said = phrases.map((words) => findPhrase(tokens, words, () => true)).find((at) => at !== undefined);
    const score = !said ? 0 : stems.some((stem) => name.includes(stem)) ? 2 : stems.some((stem) => description.includes(stem)) ? 1 : 0;
    if (score) {
      sense.score += score;
      sense.tokens.push(...said!);
    }
  }
  return sense;
}

/**
 * Yes/no states and the words for their opposite. A boolean field named by the first (on_time,
 * passed, paid) is false for a question saying the second ("late", "failed", "unpaid").
 */
const OPPOSITES: [string[], string[]][] = [
  [["on time", "punctual", "timely"], ["late", "delayed", "overdue", "tardy", "behind schedule"]],
  [["passed", "pass"], ["failed", "fail", "fails", "failing", "flunked", "fell short", "falls short", "fall short"]],
  [["success", "successful", "succeeded"], ["failed", "fail", "failure", "unsuccessful"]],
  [["paid"], ["unpaid", "outstanding", "owed"]],
  [["approved"], ["rejected", "denied", "declined", "refused"]],
  [["accepted"], ["rejected", "declined", "refused", "turned away", "turn away", "turned down"]],
  [["attended", "present"], ["absent", "missed", "skipped"]],
  [["compliant"], ["violation", "violations", "breach", "breached"]],
  [["available"], ["unavailable", "out of stock"]],
  [["open"], ["closed"]],
  [["closed"], ["open", "pending"]],
  [["resolved", "solved", "fixed", "closed", "settled"], ["open", "unresolved", "unsolved", "pending", "outstanding"]],
  [["active"], ["inactive", "dormant"]],
  [["complete", "completed"], ["incomplete", "unfinished"]],
  [["valid"], ["invalid", "expired"]],
];

/** Where `words` stand in `tokens` as consecutive words (stop words included), as token indexes. */
function findPhrase(tokens: Token[], words: string[], free: (token: Token) => boolean): number[] | undefined {
  for (let i = 0; i + words.length <= tokens.length; i++) {
    const span = tokens.slice(i, i + words.length);
    if (span.every((token, j) => token.text === words[j] && free(token))) return span.map((token) => token.index);
  }
  return undefined;
}

/**
 * A boolean field named by a synonym of its state or of the opposite state: the question tokens
 * that say so and whether they say the opposite. Only fields whose whole name is one of the states.
 */
export function statedState(field: ProductField, tokens: Token[], free: (token: Token) => boolean): { tokens: number[]; opposite: boolean } | undefined {
  const name = field.name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase().replace(/^(is|was|has|had) /, "");
  // The first state the question says ("fell short of the pass mark" is a fail, whatever "pass" follows).
  let first: { tokens: number[]; opposite: boolean } | undefined;
  for (const [states, opposites] of OPPOSITES) {
    if (!states.includes(name)) continue;
    for (const [words, opposite] of [...states.map((state) => [state, false] as const), ...opposites.map((state) => [state, true] as const)]) {
      if (words === name) continue;
      const at = findPhrase(tokens, phraseWords(words), free);
      if (at && (!first || at[0]! < first.tokens[0]! || (at[0] === first.tokens[0] && at.length > first.tokens.length))) first = { tokens: at, opposite };
    }
    if (first) return first;
  }
  return undefined;
}

/** Words of degree, each list from least to most: stored values all from one list are levels of a scale. */
const SCALES = [
  ["none", "negligible", "trivial", "minor", "low", "mild", "moderate", "medium", "normal", "significant", "serious", "major", "high", "severe", "urgent", "critical", "catastrophic"],
  ["tiny", "small", "medium", "large", "huge"],
  ["none", "basic", "standard", "bronze", "silver", "gold", "platinum", "diamond"],
];

/** The values of a categorical field in the order of the scale they are levels of (least first), if they are. */
export function scaleOrder(values: string[]): string[] | undefined {
  const scale = SCALES.find((words) => values.every((value) => words.includes(value.toLowerCase())));
  return scale && values.length >= 2 ? [...values].sort((a, b) => scale.indexOf(a.toLowerCase()) - scale.indexOf(b.toLowerCase())) : undefined;
}

/**
 * Everyday phrases for the states records are kept in, which the thesaurus (WordNet, beside them)
 * does not list as synonyms of the one word stored ("went missing" for lost, "waiting on a
 * decision" for pending). Keyed by the state as stored, lower case, its words joined by spaces.
 */
const STATE_PHRASES: Record<string, string[]> = {
  pending: ["waiting on a decision", "waiting for a decision", "awaiting a decision", "awaiting decision", "yet to be decided", "not yet decided", "undecided", "still undecided", "waiting to hear back", "not back yet"],
  "under review": ["being looked into", "being looked at", "under investigation", "being investigated", "being reviewed", "still being reviewed"],
  investigating: ["being looked into", "under investigation", "being investigated"],
  "in progress": ["under way", "underway", "being worked on", "ongoing"],
  "on hold": ["put on hold", "paused", "held back", "being held"],
  completed: ["finished", "done", "wrapped up", "went ahead", "took place"],
  held: ["went ahead", "took place", "go ahead", "went forward", "did run"],
  lost: ["went missing", "gone missing", "go missing", "never found", "never turned up", "never recovered", "never located"],
  missing: ["went missing", "gone missing", "never found", "never turned up"],
  cancelled: ["scrapped", "called it off", "called off"],
  canceled: ["scrapped", "called it off", "called off"],
  declined: ["said no to"],
  rejected: ["turned away"],
  refused: ["turned away"],
  denied: ["said no to", "turned down", "refused", "rejected"],
  approved: ["said yes to", "signed off", "given the go-ahead", "green-lit"],
  dismissed: ["thrown out", "tossed out"],
  refunded: ["paid back", "reimbursed"],
  withdrawn: ["pulled out", "backed out"],
  deferred: ["put off", "postponed"],
  postponed: ["put off"],
  resolved: ["sorted out", "dealt with"],
  "no show": ["failed to turn up", "failed to show", "did not turn up", "didn't turn up", "didn't show up", "did not show up", "never showed up", "never turned up"],
  "false positive": ["false alarm", "false alarms"],
  "sick call": ["called in sick", "phoned in sick", "rang in sick", "off sick"],
};

/** Everyday phrases for a stored state ("went missing" for lost), none for other values. */
export function statePhrases(value: string): string[] {
  return STATE_PHRASES[value.toLowerCase().replace(/[\s_-]+/g, " ").trim()] ?? [];
}
