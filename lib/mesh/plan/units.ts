import type { ProductField } from "../../validation/product";
import { contentStems, stem, tokenize } from "./text";

/**
 * Units a field states in its name or description ("_usd", "weight_kg", "Minutes from start to
 * restoration", "volume_ml"): money for the "$" of an answer and the field of "over $100"; time,
 * mass, volume and distance for converting "more than four hours" or "heavier than seventy pounds"
 * into the field's unit, and for stating a total in the unit the question asks ("in litres"). Pure.
 */

/** Stems of currency units (text.ts reads "dollars" as "usd"). */
const MONEY = new Set(["usd", "eur", "gbp", "cad", "aud", "mxn", "jpy", "chf"]);
const MONEY_SIGN = /[$€£]/;

export type Dimension = "time" | "mass" | "volume" | "distance";

export interface Unit {
  dimension: Dimension;
  /** Size in the dimension's base unit: minutes, kilograms, litres, kilometres. */
  size: number;
}

const UNIT_WORDS: [Dimension, number, string[]][] = [
  ["time", 1 / 60, ["second", "seconds", "sec", "secs"]],
  ["time", 1, ["minute", "minutes", "min", "mins"]],
  ["time", 60, ["hour", "hours", "hr", "hrs"]],
  ["time", 1440, ["day", "days"]],
  ["time", 10080, ["week", "weeks"]],
  ["mass", 0.001, ["gram", "grams"]],
  ["mass", 1, ["kg", "kgs", "kilogram", "kilograms", "kilo", "kilos"]],
  ["mass", 0.45359237, ["lb", "lbs", "pound", "pounds"]],
  ["mass", 1000, ["tonne", "tonnes"]],
  ["volume", 0.001, ["ml", "millilitre", "millilitres", "milliliter", "milliliters"]],
  ["volume", 1, ["litre", "litres", "liter", "liters"]],
  ["volume", 3.785411784, ["gallon", "gallons"]],
  ["distance", 1, ["km", "kilometre", "kilometres", "kilometer", "kilometers"]],
  ["distance", 1.609344, ["mile", "miles"]],
  ["distance", 0.0003048, ["foot", "feet", "ft"]],
];
const UNITS = new Map<string, Unit>(UNIT_WORDS.flatMap(([dimension, size, words]) => words.map((word) => [stem(word), { dimension, size }] as const)));

/** Money kept in cents ("overdue_fine_cents", "Fee in cents"). */
export function isCents(field: ProductField): boolean {
  return contentStems(field.name).includes("cent") || /\b(?:in|of) (?:us )?cents\b/i.test(field.description ?? "");
}

export function isMoney(field: ProductField): boolean {
  const stems = [...contentStems(field.name), ...contentStems(field.description ?? "")];
  return stems.some((stem) => MONEY.has(stem)) || MONEY_SIGN.test(field.description ?? "") || isCents(field);
}

/** The unit a word names ("hours", "lb", "litres"), undefined for other words. */
export function unitOf(word: string): Unit | undefined {
  const [token] = tokenize(word);
  return token ? UNITS.get(token.stem) : undefined;
}

/** The unit a number field is kept in: its name's unit word first, else its description's first one. */
export function fieldUnit(field: ProductField): Unit | undefined {
  for (const text of [field.name, field.description ?? ""]) {
    const unit = contentStems(text).map((stem) => UNITS.get(stem)).find((found) => found !== undefined);
    if (unit) return unit;
  }
  return undefined;
}

/** How many of `to` one `from` is ("hours" into a field in minutes: 60), when they measure the same thing. */
export function conversion(from: Unit, to: Unit): number | undefined {
  return from.dimension === to.dimension ? from.size / to.size : undefined;
}

export interface Scale {
  factor: number;
  /** "usd", or the unit word the question used ("hours", "litres"). */
  unit: string;
}

/** "in hours", "how many litres", "number of days": the unit word a question asks its answer in. */
export const ANSWER_UNIT = /\b(?:in|how many|number of)\s+([a-z]+)\b/gi;

/**
 * The unit an answer about `field` is stated in when it is not the field's own: dollars for a field
 * in cents, and the unit the question asks for ("in hours", "how many litres") for a field kept in
 * another unit of the same kind.
 */
export function answerScale(question: string, field: ProductField): Scale | undefined {
  if (isCents(field)) return { factor: 0.01, unit: "usd" };
  const kept = fieldUnit(field);
  if (!kept) return undefined;
  for (const match of question.matchAll(ANSWER_UNIT)) {
    const asked = unitOf(match[1]!);
    const factor = asked && conversion(kept, asked);
    if (factor !== undefined && factor !== 1) return { factor, unit: match[1]!.toLowerCase() };
  }
  return undefined;
}
