import { z } from "zod";
import { MAX_PRODUCTS_PER_QUERY } from "./discovery";
import { questionSchema } from "./semantic-search";

/**
 * Input schemas of the MCP server's tools (lib/services/mcp.ts). The MCP SDK
 * validates calls with them and lists them to agents as JSON Schema, so the
 * descriptions are written for a model choosing a tool.
 */

const product = {
  domain: z.string().min(1).describe('The product\'s domain, e.g. "payments"'),
  name: z.string().min(1).describe('The product\'s name within its domain, e.g. "chargeback-cases"'),
};

export const searchProductsInput = z.object({
  query: z.string().trim().min(1).max(1000).describe("What the data should be about, in plain language or keywords"),
  limit: z.number().int().min(1).max(50).default(10).describe("Most products to return"),
});

export const getProductInput = z.object(product);

export const queryProductInput = z.object({
  ...product,
  question: questionSchema.describe("The question, in plain language; answered with the product's best-matching records"),
  k: z.number().int().min(1).max(100).default(10).describe("Most records to return"),
});

export const askInput = z.object({
  question: questionSchema.describe("A question across the catalog; the relevant products are found and queried"),
  products: z
    .array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'Name products as "domain/name"'))
    .min(1)
    .max(MAX_PRODUCTS_PER_QUERY)
    .optional()
    .describe('Limit the question to these products ("domain/name"); leave out to let discovery choose'),
  k: z.number().int().min(1).max(50).default(5).describe("Records per product"),
});

export const getRecordInput = z.object({ ...product, key: z.string().min(1).describe("The record's primary-key value") });
