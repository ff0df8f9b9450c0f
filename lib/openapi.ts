import { z } from "zod";
import {
  PRODUCT_STATUSES,
  productInputSchema,
  productOutputSchema,
  productUpdateSchema,
} from "./validation/product";
import {
  semanticQueryInputSchema,
  semanticQueryResultSchema,
  semanticSearchInputSchema,
  semanticSearchStatusSchema,
} from "./validation/semantic-search";

/**
 * The OpenAPI 3.1 document of the REST API, generated from the same zod
 * schemas that validate requests. Paths listed here are a stable contract.
 */

const errorSchema = z
  .object({
    error: z.string().describe("What went wrong, safe to show to a user"),
    code: z.string().describe("Machine-readable error code, e.g. validation, conflict, not_found"),
    fieldErrors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe('Messages per field path, e.g. { "schema.fields.0.name": ["..."] }'),
  })
  .describe("Error body of every 4xx/5xx response");

const productListSchema = z.object({
  products: z.array(productOutputSchema),
  total: z.number().int().describe("Number of products matching the filters, ignoring limit/offset"),
});

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { "application/json": { schema } } });
const error = (description: string) => ({ description, ...json(ref("Error")) });

const addressParams = [
  { name: "domain", in: "path", required: true, schema: { type: "string" }, description: "Owning domain (kebab-case)" },
  { name: "name", in: "path", required: true, schema: { type: "string" }, description: "Product name (kebab-case)" },
];

const bodyErrors = {
  "400": error("Malformed JSON or empty body"),
  "413": error("Body larger than 1 MiB"),
  "415": error("Content-Type is not application/json"),
  "422": error("Validation failed; fieldErrors names each bad field"),
};

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Mesh Portal API",
      version: "1.0.0",
      description: "Register, discover and manage the data products of a data mesh.",
    },
    paths: {
      "/api/products": {
        get: {
          summary: "List and search data products",
          parameters: [
            { name: "q", in: "query", schema: { type: "string" }, description: "Keywords over name, title, description, tags and field names; all must match" },
            { name: "domain", in: "query", schema: { type: "string" } },
            { name: "status", in: "query", schema: { type: "string", enum: [...PRODUCT_STATUSES] } },
            { name: "tag", in: "query", schema: { type: "string" } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
            { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
          ],
          responses: {
            "200": { description: "Matching products, deprecated last", ...json(ref("ProductList")) },
            "422": error("Invalid filter"),
          },
        },
        post: {
          summary: "Register a data product",
          requestBody: { required: true, ...json(ref("ProductInput")) },
          responses: {
            "201": { description: "Registered", ...json(ref("Product")) },
            "409": error("domain/name is already registered"),
            ...bodyErrors,
          },
        },
      },
      "/api/products/{domain}/{name}": {
        parameters: addressParams,
        get: {
          summary: "Get a data product",
          responses: { "200": { description: "The product", ...json(ref("Product")) }, "404": error("No such product") },
        },
        patch: {
          summary: "Change a data product (any subset of fields but domain and name)",
          requestBody: { required: true, ...json(ref("ProductUpdate")) },
          responses: {
            "200": { description: "The updated product", ...json(ref("Product")) },
            "404": error("No such product"),
            ...bodyErrors,
          },
        },
        delete: {
          summary: "Delete a data product that holds no records",
          responses: {
            "204": { description: "Deleted" },
            "404": error("No such product"),
            "409": error("The product holds records: deprecate it instead (PATCH status)"),
          },
        },
      },
      "/api/products/{domain}/{name}/capabilities/semantic-search": {
        parameters: addressParams,
        get: {
          summary: "State of the product's semantic search",
          responses: { "200": { description: "Enabled or not, model, fields, indexing progress", ...json(ref("SemanticSearchStatus")) }, "404": error("No such product") },
        },
        put: {
          summary: "Enable semantic search, or change its model or fields (re-embeds every record)",
          requestBody: { required: true, ...json(ref("SemanticSearchInput")) },
          responses: {
            "202": { description: "Indexing started in the background; follow it with GET", ...json(ref("SemanticSearchStatus")) },
            "200": { description: "This configuration is already in place", ...json(ref("SemanticSearchStatus")) },
            "404": error("No such product"),
            ...bodyErrors,
          },
        },
        delete: {
          summary: "Disable semantic search: its vectors and index are deleted",
          responses: { "204": { description: "Disabled" }, "404": error("No such product") },
        },
      },
      "/api/products/{domain}/{name}/query": {
        parameters: addressParams,
        post: {
          summary: "Ask the product's records a question in plain language (hybrid vector + full-text ranking)",
          requestBody: { required: true, ...json(ref("SemanticQueryInput")) },
          responses: {
            "200": { description: "The best matching records, best first", ...json(ref("SemanticQueryResult")) },
            "404": error("No such product"),
            "409": error("Semantic search is not enabled, still indexing, or failed"),
            ...bodyErrors,
          },
        },
      },
      "/api/openapi.json": {
        get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1 document" } } },
      },
    },
    components: {
      schemas: {
        ProductInput: jsonSchema(productInputSchema, "input"),
        ProductUpdate: jsonSchema(productUpdateSchema, "input"),
        Product: jsonSchema(productOutputSchema, "output"),
        ProductList: jsonSchema(productListSchema, "output"),
        SemanticSearchInput: jsonSchema(semanticSearchInputSchema, "input"),
        SemanticSearchStatus: jsonSchema(semanticSearchStatusSchema, "output"),
        SemanticQueryInput: jsonSchema(semanticQueryInputSchema, "input"),
        SemanticQueryResult: jsonSchema(semanticQueryResultSchema, "output"),
        Error: jsonSchema(errorSchema, "output"),
      },
    },
  };
}
