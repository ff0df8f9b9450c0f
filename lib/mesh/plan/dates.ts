/**
 * Date expressions of a question ("in March", "the first quarter of 2026",
 * "last quarter", "since 1 Feb", "before 2026-03-01", "in 2025", "since the
 * start of April", "by mid-May") and the
 * inclusive day range they stand for. A month or day without a year takes
 * the latest year in which it falls inside the field's stored range (else
 * the latest one not after today). Pure functions; dates are UTC days.
 */

export interface DateExpression {
  start: number;
  end: number;
  words: string;
  bound: "within" | "since" | "after" | "before" | "until";
  year?: number;
  quarter?: number;
  month?: number;
  /** A run of months of one year: "the first three months", "the second half", "March to May". */
  months?: [number, number];
  day?: number;
  /** "last month" = { unit: "month", offset: -1 }; "this year" = offset 0. */
  relative?: { unit: "day" | "week" | "month" | "quarter" | "year"; offset: number; count?: number };
  iso?: string;
  /** "the start of March" is its first day, "the end of March" its last, "mid-March" the 15th. */
  edge?: "start" | "end" | "middle";
}

export interface DayRange {
  from?: string;
  to?: string;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const ORDINAL_QUARTER: Record<string, number> = { first: 1, "1st": 1, second: 2, "2nd": 2, third: 3, "3rd": 3, fourth: 4, "4th": 4, last: 4, final: 4 };
const BOUNDS: Record<string, DateExpression["bound"]> = {
  since: "since", from: "since", after: "after", before: "before", until: "until", till: "until", by: "until", through: "until", in: "within", during: "within", on: "within", of: "within",
};
const EDGE = "(?:(?:the\\s+)?(?:start|beginning|end|middle)\\s+of\\s+(?:the\\s+)?|mid-?\\s*)?";
const BOUND = `(?:(since|from|after|before|until|till|through|by|in|during|on)\\s+(?:the\\s+)?)?${EDGE}`;
const EDGES: Record<string, DateExpression["edge"]> = { start: "start", beginning: "start", end: "end", middle: "middle", mid: "middle" };
const edgeOf = (words: string) => EDGES[/\b(start|beginning|end|middle|mid)(?=\s+of\b|-|\s)/i.exec(words)?.[1]?.toLowerCase() ?? ""];
const YEAR = "((?:19|20)\\d{2})";

const monthIndex = (word: string) => MONTHS.indexOf(word.toLowerCase().slice(0, 3)) + 1;
const pad = (n: number) => String(n).padStart(2, "0");
const day = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

interface Pattern {
  regex: RegExp;
  build(match: RegExpExecArray): Omit<DateExpression, "start" | "end" | "words" | "bound"> | null;
}

const COUNTS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11 };
const COUNT = "(two|three|four|five|six|seven|eight|nine|ten|eleven|[2-9]|1[01])";
const OF_YEAR = `\\s+of\\s+(?:the\\s+year|this\\s+year|${YEAR})`;
/** Not "of" something other than a year ("the second half of March", "the first two months of the contract"). */
const NOT_OF_OTHER = "(?!\\s+of\\b)";
const countOf = (word: string) => COUNTS[word.toLowerCase()] ?? Number(word);

const PATTERNS: Pattern[] = [
  { regex: new RegExp(`${BOUND}(\\d{4}-\\d{2}-\\d{2})\\b`, "gi"), build: (m) => ({ iso: m[2]! }) },
  {
    // "the last 3 months" alone is the months before today (below); "the last 3 months of 2025" is October to December.
    regex: new RegExp(`${BOUND}(?:(first|opening)\\s+${COUNT}\\s+months(?:${OF_YEAR})?${NOT_OF_OTHER}|(last|final)\\s+${COUNT}\\s+months${OF_YEAR})`, "gi"),
    build: (m) => {
      const first = Boolean(m[2]);
      const n = countOf(first ? m[3]! : m[6]!);
      const year = first ? m[4] : m[7];
      return { months: first ? [1, n] : [13 - n, 12], ...(year ? { year: Number(year) } : {}) };
    },
  },
  {
    regex: new RegExp(`${BOUND}(first|1st|second|2nd|latter)\\s+half(?:${OF_YEAR})?${NOT_OF_OTHER}`, "gi"),
    build: (m) => ({ months: /first|1st/i.test(m[2]!) ? [1, 6] : [7, 12], ...(m[3] ? { year: Number(m[3]) } : {}) }),
  },
  {
    // "between March and May", "from January to April 2026", "in April and May": one run of months.
    regex: new RegExp(`(?:(?:between|from|in|during)\\s+)?${MONTH}\\s+(and|to|through|until|till|-|–)\\s+${MONTH}(?:,?\\s+${YEAR})?\\b`, "gi"),
    build: (m) => {
      const [a, b] = [monthIndex(m[1]!), monthIndex(m[3]!)];
      // "January and March" are two months, not the run between them.
      if (b <= a || (m[2]!.toLowerCase() === "and" && !/^between/i.test(m[0]) && b !== a + 1)) return null;
      return { months: [a, b], ...(m[4] ? { year: Number(m[4]) } : {}) };
    },
  },
  {
    regex: new RegExp(`${BOUND}(first|1st|second|2nd|third|3rd|fourth|4th|last|final)\\s+quarter(?:\\s+(?:of\\s+)?${YEAR})?`, "gi"),
    build: (m) =>
      m[2]!.toLowerCase() === "last" && !m[3]
        ? { relative: { unit: "quarter", offset: -1 } }
        : { quarter: ORDINAL_QUARTER[m[2]!.toLowerCase()]!, ...(m[3] ? { year: Number(m[3]) } : {}) },
  },
  { regex: new RegExp(`${BOUND}q([1-4])(?:\\s+${YEAR})?\\b`, "gi"), build: (m) => ({ quarter: Number(m[2]), ...(m[3] ? { year: Number(m[3]) } : {}) }) },
  {
    regex: new RegExp(`${BOUND}(last|this|past|previous|current)\\s+(?:(\\d+)\\s+)?(days?|weeks?|months?|quarters?|years?)\\b`, "gi"),
    build: (m) => {
      const unit = m[4]!.toLowerCase().replace(/s$/, "") as "day" | "week" | "month" | "quarter" | "year";
      const which = m[2]!.toLowerCase();
      if (which === "past" || m[3]) return { relative: { unit, offset: -1, count: Number(m[3] ?? 1) } };
      return { relative: { unit, offset: which === "this" || which === "current" ? 0 : -1 } };
    },
  },
  {
    regex: new RegExp(`${BOUND}(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+${YEAR})?\\b`, "gi"),
    build: (m) => ({ day: Number(m[2]), month: monthIndex(m[3]!), ...(m[4] ? { year: Number(m[4]) } : {}) }),
  },
  {
    regex: new RegExp(`${BOUND}${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+${YEAR})?\\b`, "gi"),
    build: (m) => ({ day: Number(m[3]), month: monthIndex(m[2]!), ...(m[4] ? { year: Number(m[4]) } : {}) }),
  },
  { regex: new RegExp(`${BOUND}${MONTH}(?:,?\\s+(?:of\\s+)?${YEAR})?\\b`, "gi"), build: (m) => ({ month: monthIndex(m[2]!), ...(m[3] ? { year: Number(m[3]) } : {}) }) },
  // A bare year needs a preposition: "Security Awareness 2026" names a course, not a date.
  { regex: new RegExp(`(since|from|after|before|until|in|during)\\s+(?:the\\s+(?:year\\s+)?)?${YEAR}\\b`, "gi"), build: (m) => ({ year: Number(m[2]) }) },
];

/** "may" is a month only with a year or a day beside it, or after a date preposition. */
function plausible(expression: DateExpression, text: string): boolean {
  if (expression.month === 5 && expression.day === undefined && expression.year === undefined) {
    return /^(in|during|since|after|before|until|of|by|through)\b/i.test(text.slice(expression.start));
  }
  if (expression.day !== undefined && (expression.day < 1 || expression.day > 31)) return false;
  return true;
}

export function findDates(text: string): DateExpression[] {
  const found: DateExpression[] = [];
  const taken = (start: number, end: number) => found.some((other) => start < other.end && other.start < end);
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern.regex)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken(start, end)) continue;
      const built = pattern.build(match as RegExpExecArray);
      if (!built) continue;
      const edge = edgeOf(match[0]);
      const expression: DateExpression = {
        start, end, words: match[0], bound: BOUNDS[match[1]?.toLowerCase() ?? "in"] ?? "within", ...built, ...(edge ? { edge } : {}),
      };
      if (plausible(expression, text)) found.push(expression);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The latest year y ≤ limit whose [from(y), to(y)] overlaps [min, max]; the latest y not after `today` when none does. */
function inferYear(span: (year: number) => { from: string; to: string }, today: Date, min?: string, max?: string): number {
  const now = today.getUTCFullYear();
  const top = max ? Math.max(Number(max.slice(0, 4)), now) : now;
  const bottom = min ? Number(min.slice(0, 4)) : now - 5;
  for (let year = top; year >= bottom; year--) {
    const { from, to } = span(year);
    if ((!max || from <= max.slice(0, 10)) && (!min || to >= min.slice(0, 10))) return year;
  }
  for (let year = now; ; year--) if (span(year).from <= isoDay(today)) return year;
}

function relativeRange(relative: NonNullable<DateExpression["relative"]>, today: Date): { from: string; to: string } {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() + 1;
  if (relative.count !== undefined) {
    const start = new Date(today);
    if (relative.unit === "day") start.setUTCDate(start.getUTCDate() - relative.count);
    if (relative.unit === "week") start.setUTCDate(start.getUTCDate() - 7 * relative.count);
    if (relative.unit === "month") start.setUTCMonth(start.getUTCMonth() - relative.count);
    if (relative.unit === "quarter") start.setUTCMonth(start.getUTCMonth() - 3 * relative.count);
    if (relative.unit === "year") start.setUTCFullYear(start.getUTCFullYear() - relative.count);
    return { from: isoDay(start), to: isoDay(today) };
  }
  switch (relative.unit) {
    case "day": {
      const target = new Date(today);
      target.setUTCDate(target.getUTCDate() + relative.offset);
      return { from: isoDay(target), to: isoDay(target) };
    }
    case "week": {
      const monday = new Date(today);
      monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7) + 7 * relative.offset);
      const sunday = new Date(monday);
      sunday.setUTCDate(sunday.getUTCDate() + 6);
      return { from: isoDay(monday), to: isoDay(sunday) };
    }
    case "month": {
      const date = new Date(Date.UTC(y, m - 1 + relative.offset, 1));
      const [yy, mm] = [date.getUTCFullYear(), date.getUTCMonth() + 1];
      return { from: day(yy, mm, 1), to: day(yy, mm, lastDay(yy, mm)) };
    }
    case "quarter": {
      const index = Math.floor((m - 1) / 3) + relative.offset;
      const yy = y + Math.floor(index / 4);
      const q = ((index % 4) + 4) % 4;
      return { from: day(yy, q * 3 + 1, 1), to: day(yy, q * 3 + 3, lastDay(yy, q * 3 + 3)) };
    }
    case "year":
      return { from: day(y + relative.offset, 1, 1), to: day(y + relative.offset, 12, 31) };
  }
}

/**
 * The span an expression names (a day, month, quarter or year), before its
 * bound applies; a bound from an edge ("since the start of April") is from that
 * edge's day, while "at the end of March" still means the month.
 */
function span(expression: DateExpression, today: Date, min?: string, max?: string): { from: string; to: string } {
  const whole = wholeSpan(expression, today, min, max);
  switch (expression.bound === "within" ? undefined : expression.edge) {
    case "start":
      return { from: whole.from, to: whole.from };
    case "end":
      return { from: whole.to, to: whole.to };
    case "middle": {
      const middle = isoDay(new Date((Date.parse(`${whole.from}T00:00:00Z`) + Date.parse(`${whole.to}T00:00:00Z`)) / 2));
      return { from: middle, to: middle };
    }
    default:
      return whole;
  }
}

function wholeSpan(expression: DateExpression, today: Date, min?: string, max?: string): { from: string; to: string } {
  if (expression.iso) return { from: expression.iso, to: expression.iso };
  if (expression.relative) return relativeRange(expression.relative, today);
  const withYear = (build: (year: number) => { from: string; to: string }) => build(expression.year ?? inferYear(build, today, min, max));
  if (expression.quarter) {
    const q = expression.quarter;
    return withYear((y) => ({ from: day(y, q * 3 - 2, 1), to: day(y, q * 3, lastDay(y, q * 3)) }));
  }
  if (expression.months) {
    const [a, b] = expression.months;
    return withYear((y) => ({ from: day(y, a, 1), to: day(y, b, lastDay(y, b)) }));
  }
  if (expression.month && expression.day) {
    const [m, d] = [expression.month, expression.day];
    return withYear((y) => ({ from: day(y, m, Math.min(d, lastDay(y, m))), to: day(y, m, Math.min(d, lastDay(y, m))) }));
  }
  if (expression.month) {
    const m = expression.month;
    return withYear((y) => ({ from: day(y, m, 1), to: day(y, m, lastDay(y, m)) }));
  }
  const y = expression.year!;
  return { from: day(y, 1, 1), to: day(y, 12, 31) };
}

const nextDay = (iso: string) => isoDay(new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000));
const previousDay = (iso: string) => isoDay(new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000));

/** The inclusive day range of the expression for a field whose values lie in [min, max]. */
export function resolveDate(expression: DateExpression, today: Date, min?: string, max?: string): DayRange {
  const { from, to } = span(expression, today, min, max);
  switch (expression.bound) {
    case "since":
      return { from };
    case "after":
      return { from: nextDay(to) };
    case "before":
      return { to: previousDay(from) };
    case "until":
      return { to };
    default:
      return { from, to };
  }
}
