import { tool, type ToolSet } from "ai";
import { z } from "zod";
import { AppError } from "../errors";
import { recordPath, type ProductRef } from "../paths";
import { filterSchema, MAX_FILTERS, MAX_ROWS, OPERATIONS, planSchema, type Execution, type Plan } from "../validation/answers";
import type { FederatedProduct } from "../validation/discovery";
import type { ProductSchema } from "../validation/product";
import type { SemanticQueryInput, SemanticQueryResult } from "../validation/semantic-search";

/**
 * One `search_<domain>_<name>` tool per searchable product, for hosted chat
 * models that call tools: the model can search a product again with its own
 * wording, through `search` (the product search of lib/search). Results are
 * returned as data (records with their citation links).
 */

export type ProductSearch = (product: ProductRef, query: SemanticQueryInput) => Promise<SemanticQueryResult>;

export const toolName = (product: { domain: string; name: string }, verb = "search") =>
  `${verb}_${product.domain}_${product.name}`.replace(/[^a-zA-Z0-9_]/g, "_").slice(0, 64);

export function productSearchTools(products: FederatedProduct[], search: ProductSearch): ToolSet {
  return Object.fromEntries(
    products
      .filter((product) => product.status === "ok")
      .map((product) => [
        toolName(product),
        tool({
          description: `Search the records of the data product "${product.title}" (${product.domain}/${product.name}) in plain language. Returns matching records as data, each with the href to cite it by.`,
          inputSchema: z.object({
            question: z.string().min(1).max(1000).describe("What to look for, in plain language"),
            k: z.number().int().min(1).max(20).default(5).describe("How many records"),
          }),
          execute: async ({ question, k }) => {
            const { results } = await search(product, { question, k });
            return results.map((result) => ({ key: result.key, href: recordPath(product, result.key), fields: result.record }));
          },
        }),
      ]),
  );
}

/** What a hosted model may ask of a product's records: the planner's plan, typed. */
export const queryRecordsInputSchema = z.object({
  operation: z.enum(OPERATIONS).describe("list, count, sum, avg, min, max, lookup (fields of the best-matching record), exists (yes/no), group (count per value of field)"),
  field: z.string().optional().describe("The number field of sum/avg/min/max, the field of group"),
  fields: z.array(z.string()).max(10).default([]).describe("Fields a lookup reports"),
  filters: z.array(filterSchema).max(MAX_FILTERS).default([]).describe("Conditions on fields, all of which must hold"),
  sort: z.object({ field: z.string(), direction: z.enum(["asc", "desc"]) }).optional(),
  limit: z.number().int().min(1).max(MAX_ROWS).default(25),
  search: z.string().max(1000).default("").describe("Free text ranking the records inside the filters"),
  relevantOnly: z.boolean().optional().describe("Keep only the records relevant to search: for a condition no field or value expresses"),
});

export type QueryableProduct = ProductRef & { title: string; schema: ProductSchema };

/**
 * One `query_records_<domain>_<name>` tool per product, for hosted chat models
 * that call tools: the model asks for exact counts, totals, extremes and
 * filtered lists instead of guessing from quotes. Its plan is checked like any
 * input and runs through `run` (the executor of lib/search/answers.ts); a plan
 * that does not fit the product (an unknown field, a sum of text) comes back
 * as an error the model can read, never a failure of the chat.
 */
export function productQueryTools<P extends QueryableProduct>(products: P[], run: (product: P, plan: Plan) => Promise<Execution>): ToolSet {
  return Object.fromEntries(
    products.map((product) => {
      const fields = product.schema.fields.map((field) => `${field.name} (${field.type})${field.description ? `: ${field.description}` : ""}`).join("; ");
      return [
        toolName(product, "query_records"),
        tool({
          description: `Query the records of "${product.title}" (${product.domain}/${product.name}) exactly: count, sum, average, min/max, filtered lists, lookups. Fields: ${fields}. Returns the number and the records as data, each with the href to cite it by.`,
          inputSchema: queryRecordsInputSchema,
          execute: async (input) => {
            const parsed = planSchema.safeParse({ ...input, product: `${product.domain}/${product.name}` });
            if (!parsed.success) return { error: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") };
            try {
              const execution = await run(product, parsed.data);
              return {
                matched: execution.matched,
                value: execution.value,
                capped: execution.capped,
                groups: execution.groups,
                records: execution.rows.map((row) => ({ key: row.key, href: recordPath(product, row.key), fields: row.data })),
              };
            } catch (error) {
              if (error instanceof AppError) return { error: error.message };
              throw error;
            }
          },
        }),
      ];
    }),
  );
}
