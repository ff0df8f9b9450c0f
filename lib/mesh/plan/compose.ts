import { isOrderedOp, type Execution, type Filter, type Link, type OrderedOp, type Plan } from "../../validation/answers";
import type { ProductSchema } from "../../validation/product";
import { recordPath } from "../../paths";
import { escapeMarkdown } from "../answer";
import { CODE, labelFieldsOf } from "./labels";
import { isCents, isMoney } from "./units";
import { contentStems, escapeRegExp, sameWord } from "./text";

/**
 * The offline composer of factual answers: the first sentence states the
 * answer (the number with its unit, yes/no, the looked-up value, the list),
 * then the plan in plain words, then a compact table of the supporting
 * records, each cited with a link to its page. Record text is data: it is
 * escaped, never read as Markdown. Nothing is stated that the execution did
 * not return. Pure functions.
 */

export interface ComposedProduct {
  domain: string;
  name: string;
  title: string;
  schema: ProductSchema;
  /** The fields that name a record, best first (labelFieldsOf with the value catalog); from the schema alone when absent. */
  labels?: string[];
}

export interface Composed {
  text: string;
  values: (string | number)[];
  citations: { product: string; key: string; href: string }[];
}

const MAX_TABLE_ROWS = 25;
const MAX_CELL = 60;

const address = (product: { domain: string; name: string }) => `${product.domain}/${product.name}`;
/** A measured value in the unit the plan states it in, with the field's own value beside it: "**6.75 hours** (405)". */
function measuredValue(product: ComposedProduct, plan: Plan, value: unknown, decimals = plan.decimals, field = plan.field!): string {
  if (!plan.scale || typeof value !== "number") return `**${formatValue(product.schema, field, value, decimals)}**`;
  const scaled = formatNumber(value * plan.scale.factor, decimals);
  return `**${plan.scale.unit === "usd" ? `$${scaled}` : `${scaled} ${plan.scale.unit}`}** (${formatNumber(value)})`;
}

export function formatNumber(value: number, decimals?: number): string {
  const rounded = decimals === undefined ? Math.round(value * 100) / 100 : Number(value.toFixed(decimals));
  return rounded.toLocaleString("en-US", { maximumFractionDigits: decimals ?? 2, minimumFractionDigits: 0 });
}

/** A code in capitals whose field's description spells it out, "HIL (Hillside)": the name it stands for. */
function spelledOut(description: string | undefined, code: string): string | undefined {
  if (!description || !/^[A-Z][A-Z0-9]{1,5}$/.test(code)) return undefined;
  return new RegExp(`(?:^|[^\\w-])${escapeRegExp(code)}\\s*\\(([^()]{2,40})\\)`).exec(description)?.[1]?.trim();
}

export function formatValue(schema: ProductSchema, field: string, value: unknown, decimals?: number): string {
  if (value === undefined || value === null || value === "") return "—";
  const found = schema.fields.find((candidate) => candidate.name === field);
  if (typeof value === "number") {
    // Money kept in cents reads in dollars, the stored cents beside them.
    if (found && isCents(found)) return `$${formatNumber(value / 100, decimals)} (${formatNumber(value)} cents)`;
    return `${found && isMoney(found) ? "$" : ""}${formatNumber(value, decimals)}`;
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  const text = String(value).replace(/\s+/g, " ");
  const name = spelledOut(found?.description, text);
  if (name) return escapeMarkdown(`${name} (${text})`);
  return escapeMarkdown(text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text);
}

const describeValue = (value: unknown) => (typeof value === "boolean" ? String(value) : typeof value === "number" ? formatNumber(value) : `${value}`);

const COMPARED_WITH: Record<OrderedOp, string> = { gt: "is above", gte: "is at least", lt: "is below", lte: "is at most" };

export function filterInWords(filter: Filter): string {
  const field = filter.field;
  if (filter.than && isOrderedOp(filter.op)) return `${field} ${COMPARED_WITH[filter.op]} ${filter.than}`;
  const list = (filter.values ?? []).map(describeValue);
  switch (filter.op) {
    case "eq":
      return typeof filter.value === "boolean" ? `${field} is ${filter.value}` : `${field} is ${describeValue(filter.value)}`;
    case "ne":
      return `${field} is not ${describeValue(filter.value)}`;
    case "gt":
      return `${field} is over ${describeValue(filter.value)}`;
    case "gte":
      return `${field} is at least ${describeValue(filter.value)}`;
    case "lt":
      return `${field} is under ${describeValue(filter.value)}`;
    case "lte":
      return `${field} is at most ${describeValue(filter.value)}`;
    case "between":
      return `${field} is between ${list[0]} and ${list[1]}`;
    case "in":
      return `${field} is ${list.slice(0, -1).join(", ")} or ${list.at(-1)}`;
    case "not_in":
      return `${field} is neither ${list.join(" nor ")}`;
    case "present":
      return `${field} is set`;
    case "absent":
      return `${field} is not set`;
  }
}

const conditions = (plan: Plan) => {
  const said = [...plan.filters.map(filterInWords), ...(plan.relevantOnly ? ["the record is relevant to the question (semantic search)"] : [])];
  return said.length ? ` where ${said.join(" and ")}` : "";
};

/** The plan in plain words: "Counted Chargeback Cases where outcome is lost." */
export function planInWords(plan: Plan, title: string): string {
  const where = conditions(plan);
  const ranked = plan.search ? ", ranked by relevance to the question" : "";
  switch (plan.operation) {
    case "count":
      return `Counted ${title} records${where}.`;
    case "sum":
      return `Added up ${plan.field} over ${title} records${where}.`;
    case "avg":
      return `Averaged ${plan.field} over ${title} records${where}.`;
    case "min":
    case "max":
      return `Took the ${plan.operation === "max" ? "highest" : "lowest"} ${plan.field} among ${title} records${where}.`;
    case "lookup":
      // Nothing in the question named a field: the answer falls back to meaning, and says so.
      return plan.fields.length
        ? `Looked up ${plan.fields.join(", ")} in the ${title} record that best matches the question${where}${plan.sort ? `, latest by ${plan.sort.field}` : ""}.`
        : `No field of ${title} is named by the question: took the record closest to it in meaning (semantic search)${where}.`;
    case "exists":
      return `Checked whether any ${title} record exists${where}.`;
    case "group":
      return `Counted ${title} records by ${plan.field}${where}.`;
    default:
      return `Listed ${title} records${where}${plan.sort ? `, by ${plan.sort.field} ${plan.sort.direction === "desc" ? "newest or largest" : "oldest or smallest"} first` : ranked}.`;
  }
}

/** The short text fields that name this record: up to two, one when no value statistics told them apart. */
export function labelFields(product: Pick<ComposedProduct, "schema" | "labels">, row: Record<string, unknown>): string[] {
  return (product.labels ?? labelFieldsOf(product.schema))
    .filter((field) => typeof row[field] === "string" && (row[field] as string).length <= MAX_CELL && !CODE.test(row[field] as string))
    .slice(0, product.labels ? 2 : 1);
}

const cite = (product: ComposedProduct, key: string) => `[${escapeMarkdown(key)}](${recordPath(product, key)})`;

/** " (label)" naming the record, leaving out the fields the sentence states anyway. */
function label(product: ComposedProduct, row: Record<string, unknown>, stated: string[] = []): string {
  const parts = labelFields(product, row)
    .filter((field) => !stated.includes(field))
    .map((field) => formatValue(product.schema, field, row[field]));
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** The columns of a table for the plan: key, label fields, then the fields the plan used. */
export function columnsFor(product: ComposedProduct, plan: Plan, rows: Execution["rows"]): string[] {
  const used = [plan.field, ...plan.fields, ...plan.filters.flatMap((filter) => [filter.field, filter.than]), plan.sort?.field].filter((field): field is string => Boolean(field));
  const labels = rows[0] ? labelFields(product, rows[0].data) : [];
  return [...new Set([...labels, ...used])].filter((field) => field !== product.schema.primaryKey).slice(0, 6);
}

export function table(product: ComposedProduct, rows: Execution["rows"], columns: string[], decimals?: number): string {
  if (rows.length === 0) return "";
  const head = [product.schema.primaryKey, ...columns];
  const lines = [`| ${head.map(escapeMarkdown).join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`];
  for (const row of rows.slice(0, MAX_TABLE_ROWS)) {
    lines.push(`| ${[cite(product, row.key), ...columns.map((column) => formatValue(product.schema, column, row.data[column], decimals))].join(" | ")} |`);
  }
  return lines.join("\n");
}

/** A quote longer than this is cut. */
const MAX_QUOTE = 220;
const clip = (text: string, length = MAX_QUOTE) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/** A record's text fields: every string field but its key. */
const textFields = (schema: ProductSchema, data: Record<string, unknown>) =>
  schema.fields.filter((field) => field.type === "string" && field.name !== schema.primaryKey && typeof data[field.name] === "string");

/**
 * The sentence of a record's text that shares the most words with the question (the first one on a
 * tie), with its field: what a quote should show, rather than the first characters of the record.
 */
export function bestSentence(schema: ProductSchema, data: Record<string, unknown>, question: string): { field: string; sentence: string } | undefined {
  const wanted = contentStems(question);
  let best: { field: string; sentence: string; score: number } | undefined;
  for (const field of textFields(schema, data)) {
    for (const sentence of (data[field.name] as string).split(/(?<=[.!?])\s+/).filter((text) => text.trim().length > 0)) {
      const stems = new Set(contentStems(sentence));
      const score = wanted.filter((stem) => [...stems].some((other) => sameWord(stem, other))).length;
      if (!best || score > best.score) best = { field: field.name, sentence, score };
    }
  }
  return best && { field: best.field, sentence: clip(best.sentence.trim()) };
}

/** Words in a text above which it is prose (a note, a cause, a resolution), not a name or a code. */
const PROSE_WORDS = 4;
/** Prose fields an answer about one record quotes beside the passage that matched. */
const MAX_PROSE_FIELDS = 3;

/**
 * The record's other prose fields, beside the one the question matched: when the question names no
 * field, what it asks of the record it describes ("what was behind the outage where …") is in the
 * record's other text (its root cause, its resolution), not in the passage that describes it.
 */
function otherProse(product: ComposedProduct, data: Record<string, unknown>, matched: string | undefined): { field: string; text: string }[] {
  const shown = new Set([matched, ...labelFields(product, data)]);
  return textFields(product.schema, data)
    .filter((field) => !shown.has(field.name) && (data[field.name] as string).trim().split(/\s+/).length >= PROSE_WORDS)
    .slice(0, MAX_PROSE_FIELDS)
    .map((field) => ({ field: field.name, text: clip((data[field.name] as string).trim(), 160) }));
}

/** The first sentence: the fact itself. */
export function factSentence(product: ComposedProduct, plan: Plan, execution: Execution): { sentence: string; values: (string | number)[] } {
  const title = escapeMarkdown(product.title);
  const where = escapeMarkdown(conditions(plan));
  const records = (n: number) => `${n} record${n === 1 ? "" : "s"}`;
  const top = execution.rows[0];
  switch (plan.operation) {
    case "count":
      return { sentence: `**${execution.matched}** ${title} records match${where ? `:${where.replace(/^ where/, "")}` : ""}.`, values: [execution.matched] };
    case "sum":
    case "avg": {
      const value = execution.value ?? 0;
      const shown = measuredValue(product, plan, value);
      const precise = plan.operation === "avg" && plan.decimals === undefined && !plan.scale ? ` (about ${formatValue(product.schema, plan.field!, value, 1)})` : "";
      const what = plan.operation === "sum" ? "total" : "average";
      if (execution.matched === 0) return { sentence: `No ${title} record matches${where}, so there is no ${what} ${escapeMarkdown(plan.field!)}.`, values: [] };
      return { sentence: `The ${what} ${escapeMarkdown(plan.field!)} is ${shown}${precise}, over ${records(execution.matched)} of ${title}${where}.`, values: [value] };
    }
    case "min":
    case "max": {
      if (!top) return { sentence: `No ${title} record${where} has a value for ${escapeMarkdown(plan.field!)}.`, values: [] };
      const value = top.data[plan.field!];
      const asked = plan.fields.filter((field) => top.data[field] !== undefined && !labelFields(product, top.data).includes(field));
      const also = asked.map((field) => `, ${escapeMarkdown(field)} **${formatValue(product.schema, field, top.data[field])}**`).join("");
      return {
        sentence: `The ${plan.operation === "max" ? "highest" : "lowest"} ${escapeMarkdown(plan.field!)} is ${measuredValue(product, plan, value)}: ${cite(product, top.key)}${label(product, top.data)}${also}.`,
        values: [value as number, top.key, ...asked.map((field) => top.data[field] as string | number)],
      };
    }
    case "lookup": {
      if (!top) return { sentence: `No ${title} record matches${where}.`, values: [] };
      if (plan.fields.length === 0) {
        const quote = bestSentence(product.schema, top.data, plan.search);
        const more = otherProse(product, top.data, quote?.field).map(({ field, text }) => `${escapeMarkdown(field)}: “${escapeMarkdown(text)}”`);
        return {
          sentence: `The closest ${title} record${where} is ${cite(product, top.key)}${label(product, top.data)}${quote ? `: “${escapeMarkdown(quote.sentence)}”` : ""}.${more.length ? ` Its ${more.join("; ")}.` : ""}`,
          values: [top.key],
        };
      }
      const fields = plan.fields;
      // A scale is asked for the one number a lookup reports ("how many hours did they wait?").
      const facts = fields.map((field) => `${escapeMarkdown(field)} is ${measuredValue(product, fields.length === 1 ? plan : { ...plan, scale: undefined }, top.data[field], plan.decimals, field)}`);
      return {
        sentence: `${cite(product, top.key)}${label(product, top.data, fields)} is the ${title} record that best matches${facts.length ? `: ${facts.join("; ")}` : ""}.`,
        values: fields.map((field) => top.data[field] as string | number).filter((value) => value !== undefined),
      };
    }
    case "exists": {
      if (execution.matched === 0) return { sentence: `**No**: no ${title} record matches${where}.`, values: ["no", 0] };
      // "Yes" with the few records that make it so, and their numbers or dates the conditions compared.
      const compared = [...new Set(plan.filters.filter((filter) => !["eq", "ne", "in", "not_in"].includes(filter.op)).flatMap((filter) => [filter.field, ...(filter.than ? [filter.than] : [])]))];
      const which =
        execution.matched <= 3
          ? `: ${execution.rows
              .slice(0, 3)
              .map((row) => `${cite(product, row.key)}${label(product, row.data)}${compared.length ? ` (${compared.map((field) => `${escapeMarkdown(field)} **${formatValue(product.schema, field, row.data[field], plan.decimals)}**`).join(", ")})` : ""}`)
              .join(", ")}`
          : "";
      return { sentence: `**Yes**: ${records(execution.matched)} of ${title} match${execution.matched === 1 ? "es" : ""}${where}${which}.`, values: ["yes", execution.matched] };
    }
    case "group": {
      const [first, second] = execution.groups;
      if (plan.sort && first) {
        // "the most" / "the fewest": the winning value first, the runner-up for context.
        const most = plan.sort.direction === "desc" ? "most" : "fewest";
        const tie = second && second.count === first.count ? ` (tied with ${escapeMarkdown(String(second.value ?? "(none)"))})` : "";
        return {
          sentence: `The ${escapeMarkdown(plan.field!)} with the ${most} ${title} records${where} is **${escapeMarkdown(String(first.value ?? "(none)"))}**, with **${first.count}**${tie}.`,
          values: [String(first.value ?? ""), first.count],
        };
      }
      return {
        sentence: `${title} by ${escapeMarkdown(plan.field!)}${where}: ${execution.groups.map((group) => `${escapeMarkdown(String(group.value ?? "(none)"))} **${group.count}**`).join(", ")}.`,
        values: execution.groups.map((group) => group.count),
      };
    }
    default:
      return {
        sentence: execution.matched
          ? `**${execution.matched}** ${title} record${execution.matched === 1 ? "" : "s"} match${execution.matched === 1 ? "es" : ""}${where}: ${execution.rows.slice(0, 12).map((row) => cite(product, row.key)).join(", ")}${execution.matched > 12 ? ", …" : ""}.`
          : `No ${title} record matches${where}.`,
        values: execution.rows.map((row) => row.key),
      };
  }
}

/** The answer from one product: fact, plan, table, interpretations. */
export function composeFact(product: ComposedProduct, plan: Plan, execution: Execution, deciding?: { plan: Plan; execution: Execution } | null): Composed {
  const fact = factSentence(product, plan, execution);
  let { sentence } = fact;
  let rows = plan.operation === "lookup" ? execution.rows.slice(0, 3) : execution.rows;
  let shownPlan = plan;
  if (deciding) {
    // "No": show the records that meet every other condition.
    const missing = plan.filters.find((filter) => !deciding.plan.filters.includes(filter));
    sentence += ` Of the ${deciding.execution.matched} ${escapeMarkdown(product.title)} records${escapeMarkdown(conditions(deciding.plan))}, none has ${escapeMarkdown(missing ? filterInWords(missing) : "the rest")}.`;
    rows = deciding.execution.rows;
    shownPlan = { ...deciding.plan, filters: plan.filters };
  }
  const values = fact.values;
  const lines = [sentence, "", `_${escapeMarkdown(planInWords(plan, product.title))}_`];
  const shown = plan.operation === "group" ? [] : rows;
  if (shown.length) lines.push("", table(product, shown, columnsFor(product, shownPlan, shown), plan.decimals));
  if (execution.capped && plan.operation !== "min" && plan.operation !== "max") {
    lines.push("", `Showing ${shown.length} of ${execution.matched} matching records.`);
  }
  if (plan.notes.length) lines.push("", `Interpretation: ${plan.notes.map(escapeMarkdown).join("; ")}.`);
  return {
    text: lines.join("\n"),
    values,
    citations: shown.slice(0, MAX_TABLE_ROWS).map((row) => ({ product: address(product), key: row.key, href: recordPath(product, row.key) })),
  };
}

export interface LinkedRecord {
  product: ComposedProduct;
  plan?: Plan;
  key: string;
  data: Record<string, unknown>;
}

/** Fields worth stating about a linked record: those its product's plan asked for, labels, numbers and short categories. */
function factsOf(record: LinkedRecord, skip: string[]): string[] {
  const { schema } = record.product;
  const asked = [record.plan?.field, ...(record.plan?.fields ?? [])].filter((field): field is string => Boolean(field));
  const numbers = schema.fields.filter((field) => field.type === "integer" || field.type === "number").map((field) => field.name);
  const categories = schema.fields
    .filter((field) => field.type === "string" && /(status|result|outcome|peril|category|type|severity|site)/i.test(field.name))
    .map((field) => field.name);
  return [...new Set([...asked, ...labelFields(record.product, record.data), ...numbers, ...categories])]
    .filter((field) => field !== schema.primaryKey && !skip.includes(field) && record.data[field] !== undefined)
    .slice(0, 5);
}

/** The fields the question asks of a record: its plan's looked-up or measured fields. */
const askedOf = (record: LinkedRecord) =>
  record.plan && (record.plan.operation === "lookup" || record.plan.operation === "min" || record.plan.operation === "max")
    ? [record.plan.field, ...record.plan.fields].filter((field): field is string => Boolean(field) && record.data[field!] !== undefined)
    : [];

const stated = (record: LinkedRecord, fields: string[]) =>
  fields.map((field) => `${escapeMarkdown(field)} **${formatValue(record.product.schema, field, record.data[field])}**`).join(", ");

/**
 * Records of two products joined by a shared key value. The record holding what the question asks
 * (the best product's looked-up fields, else the far end of the link) is stated first.
 */
export function composeLinks(links: { link: Link; from: LinkedRecord; to: LinkedRecord }[], best: Plan, lead?: string): Composed {
  const values: (string | number)[] = [];
  const citations: Composed["citations"] = [];
  const sentences = links.slice(0, 2).map(({ link, from, to }) => {
    // The best product's own looked-up fields come first; else the other end's, which the link reached.
    const [own, partner] = from.plan === best ? [from, to] : [to, from];
    const [asked, other] = askedOf(own).length > 0 ? [own, partner] : [partner, own];
    const askedField = asked === from ? link.from.field : link.to.field;
    const facts = askedOf(asked).length ? askedOf(asked) : factsOf(asked, [askedField]);
    for (const field of facts) values.push(asked.data[field] as string | number);
    const otherFacts = askedOf(other);
    return `${cite(asked.product, asked.key)}${label(asked.product, asked.data)} in ${escapeMarkdown(asked.product.title)}: ${stated(asked, facts)}. It shares ${escapeMarkdown(link.value)} with ${cite(other.product, other.key)}${label(other.product, other.data)} in ${escapeMarkdown(other.product.title)}${otherFacts.length ? ` (${stated(other, otherFacts)})` : ""}.`;
  });
  const lines = [[lead, ...sentences].filter(Boolean).join(" "), "", "| record | product | shared key | facts |", "| --- | --- | --- | --- |"];
  const seen = new Set<string>();
  for (const { link, from, to } of links) {
    for (const [record, field] of [[from, link.from.field], [to, link.to.field]] as const) {
      const id = `${address(record.product)}#${record.key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      citations.push({ product: address(record.product), key: record.key, href: recordPath(record.product, record.key) });
      const facts = factsOf(record, [field]).map((name) => `${escapeMarkdown(name)} ${formatValue(record.product.schema, name, record.data[name])}`).join("; ");
      lines.push(`| ${cite(record.product, record.key)} | ${escapeMarkdown(record.product.title)} | ${escapeMarkdown(field)} = ${escapeMarkdown(link.value)} | ${facts} |`);
    }
  }
  return { text: lines.join("\n"), values, citations };
}

export function nothingFound(question: string, titles: string[]): string {
  const asked = titles.map((title) => `**${escapeMarkdown(title)}**`).join(", ");
  return titles.length
    ? `I found nothing relevant to “${escapeMarkdown(question)}” in ${asked}: no field or record there answers it.`
    : `No data product could be searched for “${escapeMarkdown(question)}”.`;
}
