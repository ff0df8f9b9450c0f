import type { ProductField } from "../../validation/product";
import { contentStems, tokenize } from "./text";

/**
 * Units a field states in its name or description ("_usd", "in US dollars", "Minutes from start to
 * restoration"): money for the "$" of an answer and the field of "over $100", time for converting
 * "more than four hours" into a field kept in minutes. Pure.
 */

/** Stems of currency units (text.ts reads "dollars" as "usd"). */
const MONEY = new Set(["usd", "eur", "gbp", "cad", "aud", "mxn", "jpy", "chf"]);
const MONEY_SIGN = /[$€£]/;

const TIME: Record<string, number> = { second: 1 / 60, sec: 1 / 60, minut: 1, min: 1, hour: 60, hr: 60, hrs: 60, day: 1440, week: 10080 };

/** Money kept in cents ("overdue_fine_cents", "Fee in cents"). */
export function isCents(field: ProductField): boolean {
  return contentStems(field.name).includes("cent") || /\b(?:in|of) (?:us )?cents\b/i.test(field.description ?? "");
}

export function isMoney(field: ProductField): boolean {
  const stems = [...contentStems(field.name), ...contentStems(field.description ?? "")];
  return stems.some((stem) => MONEY.has(stem)) || MONEY_SIGN.test(field.description ?? "") || isCents(field);
}

export interface Scale {
  factor: number;
  unit: "usd" | "seconds" | "minutes" | "hours" | "days" | "weeks";
}

/**
 * The unit an answer about `field` is stated in when it is not the field's own: dollars for a field
 * in cents, and the time unit the question asks for ("in hours", "how many minutes") for a field kept
 * in another one.
 */
export function answerScale(question: string, field: ProductField): Scale | undefined {
  if (isCents(field)) return { factor: 0.01, unit: "usd" };
  const kept = timeUnitOf(field);
  const asked = /\b(?:in|how many|number of)\s+(seconds|minutes|hours|days|weeks)\b/i.exec(question)?.[1]?.toLowerCase() as Scale["unit"] | undefined;
  const target = asked ? minutesIn(asked) : undefined;
  if (!kept || !asked || !target || target === kept) return undefined;
  return { factor: kept / target, unit: asked };
}

/** Minutes in one unit of a time word ("hours" → 60), undefined for other words. */
export function minutesIn(word: string): number | undefined {
  const [token] = tokenize(word);
  return token ? TIME[token.stem] : undefined;
}

/** Minutes in the unit a number field is kept in: its name's unit word first, else its description's first one. */
export function timeUnitOf(field: ProductField): number | undefined {
  for (const text of [field.name, field.description ?? ""]) {
    const unit = contentStems(text).map((stem) => TIME[stem]).find((minutes) => minutes !== undefined);
    if (unit) return unit;
  }
  return undefined;
}
