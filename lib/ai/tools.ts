import { tool, type ToolSet } from "ai";
import { z } from "zod";
import { recordPath, type ProductRef } from "../paths";
import type { FederatedProduct } from "../validation/discovery";
import type { SemanticQueryInput, SemanticQueryResult } from "../validation/semantic-search";

/**
 * One `search_<domain>_<name>` tool per searchable product, for hosted chat
 * models that call tools: the model can search a product again with its own
 * wording, through `search` (the product search of lib/search). Results are
 * returned as data (records with their citation links).
 */

export type ProductSearch = (product: ProductRef, query: SemanticQueryInput) => Promise<SemanticQueryResult>;

export const toolName = (product: { domain: string; name: string }) =>
  `search_${product.domain}_${product.name}`.replace(/[^a-zA-Z0-9_]/g, "_").slice(0, 64);

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
