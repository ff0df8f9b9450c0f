import { z } from "zod";
import {
  PRODUCT_STATUSES,
  productInputSchema,
  productOutputSchema,
  productUpdateSchema,
} from "./validation/product";
import { loadReportSchema, recordListSchema, storedRecordSchema } from "./validation/records";

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

const recordsUpload = {
  required: true,
  description:
    "The records, streamed: any size. Each row is checked against the product's schema; " +
    "CSV cells are parsed by the field's type and an empty cell is no value.",
  content: {
    "application/json": { schema: { type: "array", items: { type: "object", additionalProperties: true } } },
    "application/x-ndjson": { schema: { type: "string", description: "One JSON object per line" } },
    "text/csv": { schema: { type: "string", description: "A header row of field names, then one record per row" } },
  },
};

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
      description: "Register, discover and manage the data products of a data mesh, and load and read their records.",
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
      "/api/products/{domain}/{name}/records": {
        parameters: addressParams,
        get: {
          summary: "List a product's records in key order, a page at a time",
          parameters: [
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
            { name: "cursor", in: "query", schema: { type: "string" }, description: "nextCursor of the previous page" },
          ],
          responses: {
            "200": { description: "A page of records", ...json(ref("RecordList")) },
            "404": error("No such product"),
            "422": error("Invalid limit"),
          },
        },
        post: {
          summary: "Load records: valid rows are upserted by primary key, invalid rows reported one by one",
          description:
            "All valid rows are stored in one transaction, or none (on a 4xx or 5xx). " +
            "Re-loading the same rows changes nothing: unchanged records keep their updatedAt.",
          requestBody: recordsUpload,
          responses: {
            "200": { description: "The load report", ...json(ref("LoadReport")) },
            "400": error("Malformed JSON array or CSV, or an empty body"),
            "404": error("No such product"),
            "415": error("Content-Type is not application/json, application/x-ndjson or text/csv"),
          },
        },
      },
      "/api/products/{domain}/{name}/records/{key}": {
        parameters: [
          ...addressParams,
          { name: "key", in: "path", required: true, schema: { type: "string" }, description: "Primary-key value, URL-encoded" },
        ],
        get: {
          summary: "Get one record by its primary-key value",
          responses: {
            "200": { description: "The record", ...json(ref("Record")) },
            "404": error("No such product or record"),
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
        LoadReport: jsonSchema(loadReportSchema, "output"),
        Record: jsonSchema(storedRecordSchema, "output"),
        RecordList: jsonSchema(recordListSchema, "output"),
        Error: jsonSchema(errorSchema, "output"),
      },
    },
  };
}
