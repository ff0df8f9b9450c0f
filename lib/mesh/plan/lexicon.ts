import type { ProductField } from "../../validation/product";
import { contentStems, tokenize, type Token } from "./text";

/**
 * General English the planner needs and a schema rarely spells out: which
 * adjectives measure which dimension ("heaviest" → a field kept in kg), and
 * which words state the opposite of a yes/no field ("late" of on_time,
 * "failed" of passed). Word lists of the language, not of any catalog. Pure.
 */

interface Dimension {
  /** Question words that ask for the dimension. */
  words: string[];
  /** Stems a field's name or description uses for it. */
  units: string[];
}

const DIMENSIONS: Dimension[] = [
  { words: ["heavy", "heavier", "heaviest", "light", "lighter", "lightest", "weigh", "weighs", "weighed", "weighing"], units: ["weight", "kg", "kilogram", "lb", "lbs", "pound", "ton", "tonn", "gram", "mass"] },
  { words: ["far", "farther", "farthest", "further", "furthest", "distant", "nearest"], units: ["km", "kilomet", "mile", "distanc", "meter", "metr"] },
  { words: ["hot", "hotter", "hottest", "cold", "colder", "coldest", "warm", "warmer", "warmest"], units: ["temperatur", "temp", "celsiu", "fahrenheit", "degre"] },
  { words: ["long", "longer", "longest", "short", "shorter", "shortest", "quick", "quicker", "quickest", "slow", "slower", "slowest", "lasted", "lasting"], units: ["second", "sec", "minut", "min", "hour", "hr", "hrs", "day", "week", "durat"] },
  { words: ["tall", "taller", "tallest"], units: ["height", "cm", "inch"] },
  { words: ["old", "older", "oldest", "young", "younger", "youngest"], units: ["age"] },
];

/** The number field of `fields` that the dimension asked by `token` names, when exactly one does. */
export function dimensionField(token: Token, fields: ProductField[]): ProductField | undefined {
  const dimension = DIMENSIONS.find((candidate) => candidate.words.includes(token.text));
  if (!dimension) return undefined;
  const measuring = fields.filter((field) =>
    [...contentStems(field.name), ...contentStems(field.description ?? "").slice(0, 8)].some((stem) => dimension.units.includes(stem)),
  );
  return measuring.length === 1 ? measuring[0] : undefined;
}

/**
 * Yes/no states and the words for their opposite. A boolean field named by the first (on_time,
 * passed, paid) is false for a question saying the second ("late", "failed", "unpaid").
 */
const OPPOSITES: [string[], string[]][] = [
  [["on time", "punctual", "timely"], ["late", "delayed", "overdue", "tardy", "behind schedule"]],
  [["passed", "pass"], ["failed", "fail", "fails", "failing", "flunked"]],
  [["success", "successful", "succeeded"], ["failed", "fail", "failure", "unsuccessful"]],
  [["paid"], ["unpaid", "outstanding", "owed"]],
  [["approved"], ["rejected", "denied", "declined", "refused"]],
  [["accepted"], ["rejected", "declined", "refused"]],
  [["attended", "present"], ["absent", "missed", "skipped"]],
  [["compliant"], ["violation", "violations", "breach", "breached"]],
  [["available"], ["unavailable", "out of stock"]],
  [["open"], ["closed"]],
  [["active"], ["inactive", "dormant"]],
  [["complete", "completed"], ["incomplete", "unfinished"]],
  [["valid"], ["invalid", "expired"]],
];

const phraseWords = (phrase: string) => tokenize(phrase).map((token) => token.text);

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
  for (const [states, opposites] of OPPOSITES) {
    if (!states.includes(name)) continue;
    for (const [words, opposite] of [...states.map((state) => [state, false] as const), ...opposites.map((state) => [state, true] as const)]) {
      if (words === name) continue;
      const at = findPhrase(tokens, phraseWords(words), free);
      if (at) return { tokens: at, opposite };
    }
  }
  return undefined;
}

/** The number field of `fields` kept in the unit `word` names ("500 kg" → weight_kg), when exactly one is. */
export function unitField(word: string, fields: ProductField[]): ProductField | undefined {
  const [token] = tokenize(word);
  if (!token || !DIMENSIONS.some((dimension) => dimension.units.includes(token.stem))) return undefined;
  const kept = fields.filter((field) => contentStems(field.name).includes(token.stem));
  return kept.length === 1 ? kept[0] : undefined;
}
