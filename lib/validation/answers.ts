import { z } from "zod";
import { federatedProductSchema, federatedQueryResultSchema } from "./discovery";

/**
 * Query plans and structured answers: what the planner makes of a question
 * for one product, what the executor returns, and what the API, the chat
 * stream and hosted models' `query_records` tool exchange. One schema each,
 * parsed at the edge (a plan sent back by a client or a model is checked
 * here before it reaches the executor).
 */

export const MAX_FILTERS = 12;
export const MAX_LIST_VALUES = 50;
export const MAX_ROWS = 100;

export const OPERATIONS = ["list", "count", "sum", "avg", "min", "max", "lookup", "exists", "group"] as const;
/** The ops that order values, the only ones a filter may compare with another field (`than`). */
export const ORDERED_OPS = ["gt", "gte", "lt", "lte"] as const;
export type OrderedOp = (typeof ORDERED_OPS)[number];
export const isOrderedOp = (op: string): op is OrderedOp => (ORDERED_OPS as readonly string[]).includes(op);
/** `a op b` as `b flipped a`. */
export const FLIPPED: Record<OrderedOp, OrderedOp> = { gt: "lt", gte: "lte", lt: "gt", lte: "gte" };
export const FILTER_OPS = ["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "present", "absent"] as const;

const fieldName = z.string().min(1).max(63).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Name a field of the product");
const scalar = z.union([z.string().max(300), z.number().finite(), z.boolean()]);

export const filterSchema = z
  .object({
    field: fieldName,
    op: z.enum(FILTER_OPS),
    value: scalar.optional().describe("For eq, ne, gt, gte, lt, lte"),
    values: z.array(scalar).max(MAX_LIST_VALUES).optional().describe("For in and not_in; [from, to] for between"),
    than: fieldName.optional().describe("For gt, gte, lt, lte: compare with this field of the same record instead of a value (returned_at gt due_date)"),
    words: z.string().max(200).optional().describe("The words of the question the filter came from"),
  })
  .strict()
  .superRefine((filter, ctx) => {
    if (filter.than !== undefined) {
      if (!isOrderedOp(filter.op)) ctx.addIssue({ code: "custom", path: ["than"], message: `${filter.op} compares with a value, not a field` });
      if (filter.than === filter.field) ctx.addIssue({ code: "custom", path: ["than"], message: "Name another field than the one compared" });
      if (filter.value !== undefined || filter.values !== undefined) ctx.addIssue({ code: "custom", path: ["value"], message: "Compare with a field (than) or a value, not both" });
    }
    const needsValue = ["eq", "ne", "gt", "gte", "lt", "lte"].includes(filter.op) && filter.than === undefined;
    if (needsValue && filter.value === undefined) ctx.addIssue({ code: "custom", path: ["value"], message: `${filter.op} needs a value` });
    if ((filter.op === "in" || filter.op === "not_in") && !filter.values?.length) {
      ctx.addIssue({ code: "custom", path: ["values"], message: `${filter.op} needs values` });
    }
    if (filter.op === "between" && filter.values?.length !== 2) ctx.addIssue({ code: "custom", path: ["values"], message: "between needs [from, to]" });
  });

export const planSchema = z
  .object({
    product: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/),
    operation: z.enum(OPERATIONS),
    /** The measured field of sum/avg/min/max, the grouped field of group. */
    field: fieldName.optional(),
    /** Fields a lookup reports. */
    fields: z.array(fieldName).max(10).default([]),
    filters: z.array(filterSchema).max(MAX_FILTERS).default([]),
    sort: z.object({ field: fieldName, direction: z.enum(["asc", "desc"]) }).strict().optional(),
    limit: z.number().int().min(1).max(MAX_ROWS).default(25),
    /** Free text ranking the records inside the filters (semantic search). */
    search: z.string().max(1000).default(""),
    /**
     * Keep only the records relevant to `search` (by the thresholds calibrated per signal, lib/mesh/relevance.ts):
     * for a question no field or value of the product expresses ("which deliveries broke the cold chain?").
     */
    relevantOnly: z.boolean().optional(),
    decimals: z.number().int().min(0).max(6).optional(),
    /** The unit the answer is stated in when the question asks another than the field's ("in hours" of a field in minutes). */
    scale: z.object({ factor: z.number().positive(), unit: z.string().regex(/^[a-z]{1,20}$/) }).strict().optional(),
    /** 0..1: how much of the question the product's schema and values explain. */
    confidence: z.number().min(0).max(1).default(1),
    /** Interpretations the planner chose ("'Austin' read as location = Austin, TX"). */
    notes: z.array(z.string().max(300)).max(12).default([]),
  })
  .strict();

export type Filter = z.infer<typeof filterSchema>;
export type FilterOp = Filter["op"];
export type Operation = (typeof OPERATIONS)[number];
export type Plan = z.infer<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;

export const answerRecordSchema = z.object({
  product: z.string(),
  key: z.string(),
  href: z.string(),
  fields: z.record(z.string(), z.unknown()),
});

export const productAnswerSchema = z.object({
  text: z.string().describe("The answer from this product, first sentence first"),
  values: z.array(z.union([z.string(), z.number()])).describe("The facts stated: the count, total, looked-up value..."),
  records: z.array(answerRecordSchema).describe("The supporting records, each citable by its href"),
  matched: z.number().int().describe("Records that satisfied the filters"),
  capped: z.boolean().describe("True when more records matched than were returned"),
});

export const linkSchema = z.object({
  value: z.string().describe("The shared key value"),
  from: z.object({ product: z.string(), key: z.string(), field: z.string() }),
  to: z.object({ product: z.string(), key: z.string(), field: z.string() }),
});

export const answerSchema = z.object({
  text: z.string().describe("The whole answer (Markdown): the fact first, then a table, then citations"),
  kind: z.enum(["fact", "records", "links", "semantic", "nothing"]),
  values: z.array(z.union([z.string(), z.number()])),
  citations: z.array(z.object({ product: z.string(), key: z.string(), href: z.string() })),
  links: z.array(linkSchema),
  plans: z.array(planSchema),
});

export type AnswerRecord = z.infer<typeof answerRecordSchema>;
export type ProductAnswer = z.infer<typeof productAnswerSchema>;
export type Link = z.infer<typeof linkSchema>;
export type StructuredAnswer = z.infer<typeof answerSchema>;

/** What the executor returns for a plan. */
export interface Execution {
  /** Records that satisfied the filters. */
  matched: number;
  /** The aggregate (count, sum, avg) or null. */
  value: number | null;
  /** Rows: the winner of min/max, the looked-up or listed records, the records aggregated (up to the limit). */
  rows: { key: string; data: Record<string, unknown>; similarity: number | null }[];
  groups: { value: string | number | boolean | null; count: number; total: number | null }[];
  capped: boolean;
}

/** POST /api/query: the federated query's shape, with each product's plan and answer, and the answer to the whole question. */
export const answeredQueryResultSchema = federatedQueryResultSchema.extend({
  products: z.array(
    federatedProductSchema.extend({
      plan: planSchema.optional().describe("How the question was read for this product (absent when the answer engine did not consult it)"),
      answer: productAnswerSchema.optional().describe("This product's answer: the fact first, the records that support it"),
    }),
  ),
  answer: answerSchema.describe("The answer to the whole question, as the chat gives it"),
});

export type AnsweredQueryResult = z.infer<typeof answeredQueryResultSchema>;

/** GET /api/conversations and /api/conversations/{id}. */
const conversationSummarySchema = z.object({ id: z.string(), title: z.string(), createdAt: z.string(), updatedAt: z.string() });
export const conversationListSchema = z.object({ conversations: z.array(conversationSummarySchema) });
export const conversationSchema = conversationSummarySchema.extend({ messages: z.array(z.unknown()).describe("AI SDK UI messages, as the chat streamed them") });
