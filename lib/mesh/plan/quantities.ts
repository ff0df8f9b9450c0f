import type { FilterOp } from "../../validation/answers";

/**
 * Numbers of a question with what is said about them ("over $100",
 * "at least 3", "between 10 and 20", "6,200"), the rounding it asks for
 * ("to one decimal place"), "top 5", and identifiers ("CLM-30104"). Pure.
 */

export interface Span {
  start: number;
  end: number;
}

export interface Quantity extends Span {
  op: FilterOp;
  value: number;
  /** The upper end of "between a and b". */
  to?: number;
  currency: boolean;
  percent: boolean;
  /** True when the question says how it compares ("over", "at least"); a bare number means equality. */
  compared: boolean;
}

const WORD_NUMBERS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
  forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, "a hundred": 100, "one hundred": 100,
  dozen: 12, "a dozen": 12,
};
/** Number words as a regular expression, longest first ("a hundred" before "a"). */
const NUMBER_WORDS = Object.keys(WORD_NUMBERS)
  .sort((a, b) => b.length - a.length)
  .map((word) => word.replace(" ", "\\s+"))
  .join("|");

const COMPARATORS: [RegExp, FilterOp][] = [
  [/(?:more|greater|larger|bigger|higher|longer)\s+than|over|above|exceeding|in\s+excess\s+of|upwards\s+of/, "gt"],
  [/at\s+least|no\s+(?:less|fewer)\s+than|not\s+(?:less|fewer)\s+than|or\s+more|minimum\s+of/, "gte"],
  [/(?:less|fewer|lower|smaller|shorter)\s+than|under|below|beneath/, "lt"],
  [/at\s+most|no\s+more\s+than|not\s+more\s+than|up\s+to|maximum\s+of|or\s+less|or\s+fewer/, "lte"],
  [/exactly|equal\s+to/, "eq"],
];
const COMPARATOR = `(${COMPARATORS.map(([regex]) => regex.source).join("|")})\\s+`;
const NUMBER = `(\\$|€|£|usd\\s*)?(\\d[\\d,]*(?:\\.\\d+)?|\\.\\d+|${NUMBER_WORDS}|(?:half\\s+)?an?(?=\\s+(?:second|minute|hour|day|week)s?\\b))(?:\\s*(k|m|bn|hundred|thousand|million|billion|percent|usd|dollars?|euros?)(?![a-z])|\\s*(%))?(?![a-z0-9])`;

function numberOf(text: string, scale?: string): number {
  // "half an hour", "an hour", "a day": the article is one of the unit.
  const article = /^(half\s+)?an?$/i.exec(text);
  const base = article ? (article[1] ? 0.5 : 1) : (WORD_NUMBERS[text.toLowerCase().replace(/\s+/g, " ")] ?? Number(text.replace(/,/g, "")));
  switch (scale?.toLowerCase()) {
    case "hundred":
      return base * 100;
    case "k":
    case "thousand":
      return base * 1_000;
    case "m":
    case "million":
      return base * 1_000_000;
    case "bn":
    case "billion":
      return base * 1_000_000_000;
    default:
      return base;
  }
}

const opOf = (words: string): FilterOp => COMPARATORS.find(([regex]) => new RegExp(`^(?:${regex.source})$`, "i").test(words.trim().replace(/\s+/g, " ")))?.[1] ?? "eq";
const isCurrency = (symbol?: string, unit?: string) => Boolean(symbol) || /usd|dollar|euro/i.test(unit ?? "");
const isPercent = (unit?: string) => /%|percent/i.test(unit ?? "");
const overlaps = (span: Span, taken: Span[]) => taken.some((other) => span.start < other.end && other.start < span.end);

/** "… or more" a few words after a number, with no other number or clause between. */
const LATE_TRAILING = /^(?:\s+(?!and\b|but\b|or\b)[a-z][a-z'-]*){1,5}\s+(or\s+(?:more|less|fewer|above|higher|greater|over|better|below|lower|under|worse))\b/i;

/** Numbers with their comparison, leaving out the spans already read as dates, rounding or identifiers. */
export function findQuantities(text: string, taken: Span[]): Quantity[] {
  const found: Quantity[] = [];
  const between = new RegExp(`between\\s+${NUMBER}\\s+and\\s+${NUMBER}`, "gi");
  for (const m of text.matchAll(between)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, taken)) continue;
    const [low, high] = [numberOf(m[2]!, m[3]), numberOf(m[6]!, m[7])];
    found.push({ ...span, op: "between", value: Math.min(low, high), to: Math.max(low, high), currency: isCurrency(m[1], m[3]) || isCurrency(m[5], m[7]), percent: isPercent(m[4] ?? m[8]), compared: true });
  }
  const single = new RegExp(`(?:${COMPARATOR})?${NUMBER}(\\s+or\\s+(?:more|less|fewer|above|higher|greater|over|better|below|lower|under|worse))?`, "gi");
  for (const m of text.matchAll(single)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (overlaps(span, [...taken, ...found])) continue;
    const [comparator, symbol, digits, unit] = [m[1], m[2], m[3]!, m[4] ?? m[5]];
    // "15 ppb of lead or more": the "or more" may follow what the number measures.
    const trailing = m[6] ?? (comparator ? undefined : LATE_TRAILING.exec(text.slice(span.end))?.[1]);
    // Word numbers ("one", "two") only count with a comparison: "one decimal", "the one that".
    if (!/\d/.test(digits) && !comparator && !trailing) continue;
    // Part of a word or identifier ("KES-14N", "3-pack", "T-1001").
    const before = text[m.index - 1] ?? " ";
    const after = text[span.end] ?? " ";
    if (/[A-Za-z0-9-]/.test(before) || /[A-Za-z-]/.test(after)) continue;
    const op = trailing ? (/more|above|higher|greater|over|better/i.test(trailing) ? "gte" : "lte") : comparator ? opOf(comparator) : "eq";
    found.push({ ...span, op, value: numberOf(digits, unit), currency: isCurrency(symbol, unit), percent: isPercent(unit), compared: Boolean(comparator || trailing) });
  }
  return found.sort((a, b) => a.start - b.start);
}

const DECIMAL_WORDS: Record<string, number> = { no: 0, zero: 0, one: 1, two: 2, three: 3, a: 1, "1": 1, "2": 2, "3": 3, "0": 0 };

const NEAREST_DECIMALS: Record<string, number> = { tenth: 1, hundredth: 2, thousandth: 3, cent: 2, penny: 2 };

/** "to one decimal place", "rounded to the nearest whole number", "to the nearest point", "to the nearest tenth", "in whole dollars". */
export function findRounding(text: string): (Span & { decimals: number }) | null {
  const places = /(?:rounded\s+)?to\s+(no|zero|one|two|three|a|\d)\s+decimal(?:\s+places?|s)?|(\d|one|two|three)\s+decimal\s+places?/i.exec(text);
  if (places) return { start: places.index, end: places.index + places[0].length, decimals: DECIMAL_WORDS[(places[1] ?? places[2])!.toLowerCase()] ?? 2 };
  // "to the nearest point", "… whole euro", "… minute" are whole units; a tenth, a hundredth, a cent are not.
  const nearest = /(?:rounded\s+)?to\s+the\s+nearest\s+(?:whole\s+)?(?!(?:ten|hundred|thousand|million)s?\b)([a-z]+)(?:\s+points?)?/i.exec(text);
  if (nearest) return { start: nearest.index, end: nearest.index + nearest[0].length, decimals: NEAREST_DECIMALS[nearest[1]!.toLowerCase()] ?? 0 };
  const whole = /(?:rounded\s+)?(?:in\s+whole\s+(?:numbers|dollars)|as\s+a\s+whole\s+number|rounded)/i.exec(text);
  if (whole) return { start: whole.index, end: whole.index + whole[0].length, decimals: 0 };
  return null;
}

/** "top 5", "5 largest", "first 10". */
export function findLimit(text: string): (Span & { limit: number }) | null {
  const match = /\b(?:top|first|last|bottom)\s+(\d{1,3}|three|five|ten|two|four)\b|\b(\d{1,3}|three|five|ten)\s+(?:largest|biggest|highest|smallest|lowest|most|least|latest|earliest|newest|oldest)\b/i.exec(text);
  if (!match) return null;
  const raw = (match[1] ?? match[2])!;
  return { start: match.index, end: match.index + match[0].length, limit: WORD_NUMBERS[raw.toLowerCase()] ?? Number(raw) };
}

/** Identifier-like words: letters, a hyphen and digits ("CLM-30104", "BK-482913", "KES-14N", "SUP-1006"). */
export function findCodes(text: string): (Span & { code: string })[] {
  return [...text.matchAll(/\b[A-Za-z]{1,8}-[A-Za-z0-9]*\d[A-Za-z0-9-]*\b/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, code: m[0] }));
}
