/**
 * What counts as storable text and as an acceptable name: pure rules shared
 * by the record checks, the schema validation and every parsed input.
 */

/** Longest primary-key value, in characters (a key is also a URL segment and an index entry). */
export const MAX_KEY_LENGTH = 512;

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored as text, if it cannot: Postgres text and jsonb
 * hold no NUL character, and an unpaired UTF-16 surrogate has no UTF-8 form.
 */
export function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000), which text cannot hold";
  if (UNPAIRED_SURROGATE.test(text)) return "contains an unpaired UTF-16 surrogate, which is not valid Unicode";
  return undefined;
}

/**
 * Names that are properties of every JavaScript object: as field names they
 * would collide with inherited members (`constructor`, `toString`) or with the
 * prototype itself (`__proto__`).
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);

export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.has(name);
}

export interface TextIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Every key and string inside a parsed value that cannot be stored as text,
 * with its path; at most `limit` of them.
 */
export function textIssues(value: unknown, limit = 20): TextIssue[] {
  const issues: TextIssue[] = [];
  const visit = (node: unknown, path: (string | number)[]) => {
    if (issues.length >= limit) return;
    if (typeof node === "string") {
      const problem = textProblem(node);
      if (problem) issues.push({ path, message: `Text ${problem}` });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (typeof node === "object" && node !== null) {
      for (const [key, item] of Object.entries(node)) {
        const problem = textProblem(key);
        if (problem) issues.push({ path: [...path, displayName(key)], message: `The key ${problem}` });
        visit(item, [...path, key]);
      }
    }
  };
  visit(value, []);
  return issues;
}

/** A name as it may be shown in a report: printable, at most `max` characters. */
export function displayName(name: string, max = 64): string {
  const printable = JSON.stringify(name).slice(1, -1);
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}
