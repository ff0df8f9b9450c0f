import { z } from "zod";
import { accessGrantSchema, accessRequestInputSchema, accessRequestSchema, approveInputSchema, denyInputSchema } from "./validation/access";
import { apiKeyCreatedSchema, apiKeyInputSchema, apiKeyListSchema, domainInputSchema, domainOutputSchema } from "./validation/accounts";
import {
  PRODUCT_STATUSES,
  productInputSchema,
  productOutputSchema,
  productUpdateSchema,
} from "./validation/product";
import { discoveryResultSchema, federatedQueryInputSchema } from "./validation/discovery";
import { answeredQueryResultSchema, answerSchema, conversationListSchema, conversationSchema, planSchema } from "./validation/answers";
import {
  semanticQueryInputSchema,
  semanticQueryResultSchema,
  semanticSearchInputSchema,
  semanticSearchStatusSchema,
} from "./validation/semantic-search";
import { loadReportSchema, recordListSchema, storedRecordSchema } from "./validation/records";
import { importResultSchema, schemaVersionListSchema, schemaVersionSchema } from "./validation/contracts";
import { healthSchema, historySchema, purgeInputSchema, purgeResultSchema } from "./validation/health";
import {
  deliveryListSchema,
  deliverySchema,
  markReadInputSchema,
  markReadResultSchema,
  notificationListSchema,
  subscriptionListSchema,
  subscriptionSchema,
  webhookCreatedSchema,
  webhookInputSchema,
  webhookListSchema,
} from "./validation/notifications";
import { HEALTH_STATUSES } from "./mesh/health";
import { inferenceInputSchema, inferenceStatusSchema, runInputSchema, transformInputSchema, transformResultSchema } from "./validation/inference";

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

/** Every request: 401 without a session cookie or API key (reads too, unless PUBLIC_READ is on). */
const unauthorized = { "401": error("Not signed in: no valid session cookie or API key") };
/** Writes: 403 when the signed-in user may not change this domain's products. */
const forbidden = (description: string) => ({ "403": error(description) });
const notOwner = forbidden("Only the owners of the product's domain and admins may change it");
const domainOwners = forbidden("Only the domain's owners and admins manage its webhooks");
const domainParam = { name: "domain", in: "path", required: true, schema: { type: "string" }, description: "Domain (kebab-case)" };
const webhookParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" }, description: "Webhook id" };
/** Reads of records: 403 for a restricted product the caller holds no current grant of. */
const restricted = forbidden("The product is restricted: only its domain's owners, admins and users with a current grant read its records; the message names where to request access");
const notDecider = forbidden("Only the owners of the product's domain and admins decide access to its records");
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

/** Costly reads refused when the server already runs and queues as many as it takes (SEARCH_CONCURRENCY + SEARCH_QUEUE). */
const busy = { "503": error("The server is answering as many questions as it takes at once (SEARCH_CONCURRENCY running, SEARCH_QUEUE waiting); Retry-After says when to ask again") };

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
            { name: "health", in: "query", schema: { type: "string", enum: [...HEALTH_STATUSES] }, description: "Only products of this measured health" },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
            { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
          ],
          responses: {
            "200": { description: "Matching products, deprecated last", ...json(ref("ProductList")) },
            "422": error("Invalid filter"),
            ...unauthorized,
          },
        },
        post: {
          summary: "Register a data product",
          requestBody: { required: true, ...json(ref("ProductInput")) },
          responses: {
            "201": { description: "Registered", ...json(ref("Product")) },
            "409": error("domain/name is already registered"),
            ...bodyErrors,
            ...unauthorized,
            ...notOwner,
          },
        },
      },
      "/api/products/{domain}/{name}": {
        parameters: addressParams,
        get: {
          summary: "Get a data product",
          responses: { "200": { description: "The product", ...json(ref("Product")) }, "404": error("No such product"), ...unauthorized },
        },
        patch: {
          summary: "Change a data product (any subset of fields but domain and name)",
          requestBody: { required: true, ...json(ref("ProductUpdate")) },
          responses: {
            "200": { description: "The updated product", ...json(ref("Product")) },
            "404": error("No such product"),
            "409": error("A breaking schema change without a new major version: fieldErrors.schema lists the breaking changes"),
            ...bodyErrors,
            ...unauthorized,
            ...notOwner,
          },
        },
        delete: {
          summary: "Delete a data product that holds no records",
          responses: {
            "204": { description: "Deleted" },
            "404": error("No such product"),
            "409": error("The product holds records: deprecate it instead (PATCH status)"),
            ...unauthorized,
            ...notOwner,
          },
        },
      },
      "/api/domains": {
        get: {
          summary: "List the domains with their owners",
          responses: { "200": { description: "The domains", ...json({ type: "object", properties: { domains: { type: "array", items: ref("Domain") } } }) }, ...unauthorized },
        },
        post: {
          summary: "Register a domain (admins)",
          requestBody: { required: true, ...json(ref("DomainInput")) },
          responses: {
            "201": { description: "Registered", ...json(ref("Domain")) },
            "409": error("The domain exists"),
            ...bodyErrors,
            ...unauthorized,
            ...forbidden("Only admins register domains"),
          },
        },
      },
      "/api/keys": {
        get: {
          summary: "List your API keys (never the keys themselves)",
          responses: { "200": { description: "Your keys", ...json(ref("ApiKeyList")) }, ...unauthorized },
        },
        post: {
          summary: "Create an API key; the key is in this response only",
          requestBody: { required: true, ...json(ref("ApiKeyInput")) },
          responses: { "201": { description: "Created", ...json(ref("ApiKeyCreated")) }, ...bodyErrors, ...unauthorized },
        },
      },
      "/api/keys/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        delete: {
          summary: "Revoke one of your API keys",
          responses: { "204": { description: "Revoked" }, "404": error("No such key of yours"), ...unauthorized },
        },
      },
      "/api/auth/sign-in/email": {
        post: {
          summary: "Sign in with email and password (better-auth); sets the session cookie",
          security: [],
          requestBody: {
            required: true,
            ...json({ type: "object", required: ["email", "password"], properties: { email: { type: "string" }, password: { type: "string" } } }),
          },
          responses: {
            "200": { description: "Signed in: Set-Cookie carries the session" },
            "401": { description: "Wrong email or password" },
            "429": {
              description:
                "Too many sign-in attempts from this address (SIGN_IN_ATTEMPTS_PER_MINUTE), or too many failed sign-ins for this account from any address (SIGN_IN_FAILURES_PER_ACCOUNT per SIGN_IN_ACCOUNT_WINDOW_MINUTES); Retry-After says when to try again",
            },
          },
        },
      },
      "/api/products/{domain}/{name}/capabilities/semantic-search": {
        parameters: addressParams,
        get: {
          summary: "State of the product's semantic search",
          responses: {
            "200": { description: "Enabled or not, model, fields, indexing progress", ...json(ref("SemanticSearchStatus")) },
            "404": error("No such product"),
            ...unauthorized,
          },
        },
        put: {
          summary: "Enable semantic search, or change its model or fields (re-embeds every record)",
          requestBody: { required: true, ...json(ref("SemanticSearchInput")) },
          responses: {
            "202": { description: "Indexing started in the background; follow it with GET", ...json(ref("SemanticSearchStatus")) },
            "200": { description: "This configuration is already in place", ...json(ref("SemanticSearchStatus")) },
            "404": error("No such product"),
            ...bodyErrors,
            ...unauthorized,
            ...notOwner,
          },
        },
        delete: {
          summary: "Disable semantic search: its vectors and index are deleted",
          responses: { "204": { description: "Disabled" }, "404": error("No such product"), ...unauthorized, ...notOwner },
        },
      },
      "/api/products/{domain}/{name}/capabilities/inference": {
        parameters: addressParams,
        get: {
          summary: "State of the product's AI inference: endpoint, instructions, output fields, enriched records, the last run",
          responses: {
            "200": { description: "Enabled or not, configuration, progress of the last run", ...json(ref("InferenceStatus")) },
            "404": error("No such product"),
            ...unauthorized,
          },
        },
        put: {
          summary: 'Enable AI inference, or change it. endpoint: "local:classify" (needs labels), "local:summarize", or the http(s) URL of an OpenAI-compatible API',
          description:
            "Hosted endpoints are resolved and checked, never called here: loopback, private, link-local (cloud metadata), CGNAT, multicast, " +
            "unspecified and reserved addresses are refused (unless the host is on INFERENCE_ALLOWED_HOSTS). apiKeyEnv names a server " +
            "environment variable on INFERENCE_API_KEY_ENVS; the key is never stored. Output field names may not be schema field names. " +
            "A change of endpoint, model, instructions, fields or labels bumps the instructions version.",
          requestBody: { required: true, ...json(ref("InferenceInput")) },
          responses: {
            "200": { description: "Enabled (or unchanged)", ...json(ref("InferenceStatus")) },
            "404": error("No such product"),
            ...bodyErrors,
            "422": error("Invalid configuration or a refused endpoint; fieldErrors names the reason (e.g. endpoint: loopback address)"),
            ...unauthorized,
            ...notOwner,
          },
        },
        delete: {
          summary: "Disable AI inference: a run is cancelled and every stored AI output deleted",
          responses: { "204": { description: "Disabled" }, "404": error("No such product"), ...unauthorized, ...notOwner },
        },
      },
      "/api/products/{domain}/{name}/capabilities/inference/run": {
        parameters: addressParams,
        post: {
          summary: "Apply to all records: transform, in the background, every record whose AI output is missing or stale",
          requestBody: { required: false, ...json(ref("InferenceRunInput")) },
          responses: {
            "202": { description: "Run started; follow it with GET .../capabilities/inference", ...json(ref("InferenceStatus")) },
            "404": error("No such product"),
            "409": error("Inference is not enabled, or a run is already running"),
            ...bodyErrors,
            ...unauthorized,
            ...notOwner,
          },
        },
        delete: {
          summary: "Cancel the running run; records already transformed keep their output",
          responses: { "200": { description: "Cancelled", ...json(ref("InferenceStatus")) }, "404": error("No such product"), "409": error("Inference is not enabled"), ...unauthorized, ...notOwner },
        },
      },
      "/api/products/{domain}/{name}/transform": {
        parameters: addressParams,
        post: {
          summary: "Transform one record with the product's inference: { key } stores the output with lineage; { record } only computes",
          requestBody: { required: true, ...json(ref("TransformInput")) },
          responses: {
            "200": { description: "The record merged with the validated output", ...json(ref("TransformResult")) },
            "404": error("No such product or record"),
            "409": error("Inference is not enabled"),
            ...bodyErrors,
            "502": error("The model endpoint failed, or its output does not match the declared output fields (nothing is stored)"),
            ...unauthorized,
            ...notOwner,
          },
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
            ...busy,
            ...bodyErrors,
            ...unauthorized,
            ...restricted,
          },
        },
      },
      "/api/products/{domain}/{name}/health": {
        parameters: addressParams,
        get: {
          summary: "The product's measured service levels (freshness, update frequency, availability, p95 latency, retention, volume) and data quality, as last checked",
          description:
            "Checks run after every load, on the schedule (HEALTH_CHECK_INTERVAL_MINUTES) and on POST …/health/check; a product never checked is checked now. " +
            "Availability and latency are measured over the last 24 hours of the portal's own request log.",
          responses: {
            "200": { description: "The product's health", ...json(ref("Health")) },
            "404": error("No such product"),
            ...unauthorized,
          },
        },
      },
      "/api/products/{domain}/{name}/health/history": {
        parameters: addressParams,
        get: {
          summary: "Compliance over time: per UTC day the worst health, the data's age and p95 latency against their targets, and availability; per load its rows and the quality pass rate after it",
          parameters: [{ name: "days", in: "query", schema: { type: "integer", minimum: 1, maximum: 90, default: 30 }, description: "Days back, today included" }],
          responses: {
            "200": { description: "The history", ...json(ref("HealthHistory")) },
            "404": error("No such product"),
            "422": error("days is not a whole number from 1 to 90"),
            ...unauthorized,
          },
        },
      },
      "/api/products/{domain}/{name}/health/check": {
        parameters: addressParams,
        post: {
          summary: "Run the product's checks now",
          responses: {
            "200": { description: "The new health", ...json(ref("Health")) },
            "404": error("No such product"),
            ...unauthorized,
            ...notOwner,
          },
        },
      },
      "/api/products/{domain}/{name}/health/purge": {
        parameters: addressParams,
        post: {
          summary: "Remove the records older than sla.retentionDays by their event time (sla.eventTimeField); a dry run (the default) only counts them",
          requestBody: { required: true, ...json(ref("PurgeInput")) },
          responses: {
            "200": { description: "What was (or would be) removed; a real purge is audited as records.purged", ...json(ref("PurgeResult")) },
            "404": error("No such product"),
            "409": error("The product declares no retentionDays or no eventTimeField"),
            ...bodyErrors,
            ...unauthorized,
            ...notOwner,
          },
        },
      },
      "/api/products/{domain}/{name}/subscription": {
        parameters: addressParams,
        get: {
          summary: "Whether you follow the product",
          responses: { "200": { description: "Following or not", ...json(ref("Subscription")) }, "404": error("No such product"), ...unauthorized },
        },
        put: {
          summary: "Follow the product: its events (SLA breached or recovered, quality rule failed, schema changed, deprecated) become your notifications",
          responses: { "200": { description: "Following (also when you already were)", ...json(ref("Subscription")) }, "404": error("No such product"), ...unauthorized },
        },
        delete: {
          summary: "Stop following the product",
          responses: { "200": { description: "Not following", ...json(ref("Subscription")) }, "404": error("No such product"), ...unauthorized },
        },
      },
      "/api/subscriptions": {
        get: {
          summary: "The products you follow, newest first",
          responses: { "200": { description: "Your subscriptions", ...json(ref("SubscriptionList")) }, ...unauthorized },
        },
      },
      "/api/notifications": {
        get: {
          summary: "Your notifications (events of the products you follow), newest first, with the unread count",
          parameters: [
            { name: "unread", in: "query", schema: { type: "boolean", default: false }, description: "Only unread ones" },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
          ],
          responses: { "200": { description: "Notifications", ...json(ref("NotificationList")) }, "422": error("Invalid unread or limit"), ...unauthorized },
        },
      },
      "/api/notifications/read": {
        post: {
          summary: "Mark notifications read: { ids } or { all: true }",
          requestBody: { required: true, ...json(ref("MarkReadInput")) },
          responses: { "200": { description: "How many were marked, and how many are still unread", ...json(ref("MarkReadResult")) }, ...bodyErrors, ...unauthorized },
        },
      },
      "/api/domains/{domain}/webhooks": {
        parameters: [domainParam],
        get: {
          summary: "The domain's webhooks (never their secrets)",
          responses: { "200": { description: "Webhooks", ...json(ref("WebhookList")) }, "404": error("No such domain"), ...unauthorized, ...domainOwners },
        },
        post: {
          summary: "Register a webhook: every event of the domain's products is POSTed to its URL as JSON, signed with X-Mesh-Signature: sha256=<HMAC-SHA256 of the body>",
          description:
            "The URL goes through the same SSRF rules as inference endpoints (private, loopback and link-local addresses refused unless the host is on WEBHOOK_ALLOWED_HOSTS). " +
            "A delivery that does not get a 2xx answer is tried again after 30 s, then twice as long each time, 6 attempts in all.",
          requestBody: { required: true, ...json(ref("WebhookInput")) },
          responses: {
            "201": { description: "Registered; the secret is in this response only", ...json(ref("WebhookCreated")) },
            "404": error("No such domain"),
            ...bodyErrors,
            ...unauthorized,
            ...domainOwners,
          },
        },
      },
      "/api/domains/{domain}/webhooks/{id}": {
        parameters: [domainParam, webhookParam],
        delete: {
          summary: "Delete the webhook and its delivery log",
          responses: { "204": { description: "Deleted" }, "404": error("No such webhook in this domain"), ...unauthorized, ...domainOwners },
        },
      },
      "/api/domains/{domain}/webhooks/{id}/test": {
        parameters: [domainParam, webhookParam],
        post: {
          summary: "Send a webhook.test event now",
          responses: { "200": { description: "The delivery after its first attempt", ...json(ref("WebhookDelivery")) }, "404": error("No such webhook in this domain"), ...unauthorized, ...domainOwners },
        },
      },
      "/api/domains/{domain}/webhooks/{id}/deliveries": {
        parameters: [domainParam, webhookParam],
        get: {
          summary: "The webhook's delivery log: status, attempts, last answer, newest first",
          responses: { "200": { description: "Deliveries", ...json(ref("WebhookDeliveryList")) }, "404": error("No such webhook in this domain"), ...unauthorized, ...domainOwners },
        },
      },
      "/api/discovery": {
        get: {
          summary: "Rank data products for a question: meaning (description, schema, record contents) and metadata keywords",
          description: "A restricted product whose records the caller may not read is ranked by its metadata alone, and its reasons name nothing of its records.",
          parameters: [
            { name: "q", in: "query", required: true, schema: { type: "string", maxLength: 1000 }, description: "The question or keywords" },
            { name: "k", in: "query", schema: { type: "integer", minimum: 1, maximum: 50, default: 10 } },
          ],
          responses: {
            "200": { description: "Products, best first; deprecated ones last", ...json(ref("DiscoveryResult")) },
            "422": error("Missing or invalid q or k"),
            ...busy,
            ...unauthorized,
          },
        },
      },
      "/api/query": {
        post: {
          summary: "Federated query: one question across the products discovery picks (or the ones named), queried in parallel and answered with facts",
          requestBody: { required: true, ...json(ref("FederatedQueryInput")) },
          responses: {
            "200": {
              description:
                "Per product: its results, or why it was skipped (no semantic search), failed (error, timeout) or is restricted (the caller may not read its records: nothing of them is returned or cited, and requestAccess names where to ask), the plan the question was read with and the product's own answer; the answer to the whole question (fact first, cited records, links across products); timings",
              ...json(ref("FederatedQueryResult")),
            },
            "429": error("More than QUERY_REQUESTS_PER_MINUTE (60) federated queries in a minute from this user (or a visitor's address); Retry-After says when to try again"),
            ...busy,
            ...bodyErrors,
            ...unauthorized,
          },
        },
      },
      "/api/chat": {
        post: {
          summary: "One chat turn (AI SDK UI message stream, as sent by useChat): consulted products and citations first, then the answer",
          description: "A product whose records the caller may not read is listed in the data-sources part as restricted, with requestAccess; nothing of its records is quoted, cited or sent to a hosted model.",
          requestBody: {
            required: true,
            ...json({
              type: "object",
              required: ["messages"],
              properties: {
                id: { type: "string", description: "The conversation's id: a UUID keeps the conversation for the signed-in user (GET /api/conversations)" },
                messages: {
                  type: "array",
                  description:
                    "The conversation as AI SDK UI messages; the last is the user's question (at most 1000 characters). The previous answer's data-answer part carries the plans a follow-up question refines",
                },
                products: { type: "array", items: { type: "string" }, maxItems: 5, description: 'Optional "domain/name" products to limit the question to' },
              },
            }),
          },
          responses: {
            "200": {
              description:
                "Server-sent events of the AI SDK UI message stream: a data-sources part, a data-answer part with the structured answer (schema Answer: fact, values, citations, links, plans) when the offline composer answers, then text parts",
              content: { "text/event-stream": {} },
            },
            "429": error("More than CHAT_QUESTIONS_PER_MINUTE (20) questions in a minute; Retry-After says when to try again"),
            ...busy,
            ...bodyErrors,
            ...unauthorized,
          },
        },
      },
      "/api/conversations": {
        get: {
          summary: "The signed-in user's chat conversations, latest first (at most 50)",
          responses: {
            "200": { description: "Conversations: id, title (the first question), created and updated times", ...json(ref("ConversationList")) },
            ...unauthorized,
          },
        },
      },
      "/api/conversations/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        get: {
          summary: "One of the signed-in user's conversations, with its messages as the chat streamed them",
          responses: {
            "200": { description: "The conversation", ...json(ref("Conversation")) },
            "404": error("No such conversation of this user"),
            ...unauthorized,
          },
        },
        delete: {
          summary: "Delete one of the signed-in user's conversations",
          responses: { "204": { description: "Deleted" }, "404": error("No such conversation of this user"), ...unauthorized },
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
            ...unauthorized,
            ...restricted,
          },
        },
        post: {
          summary: "Load records: valid rows are upserted by primary key, invalid rows reported one by one",
          description:
            "The whole body is read and checked first (UTF-8, or the Content-Type's charset), then all valid rows are stored in one transaction, or none (on a 4xx or 5xx). " +
            "Re-loading the same rows changes nothing: unchanged records keep their updatedAt. " +
            "A row larger than RECORD_MAX_BYTES, with a key given twice, text holding NUL or an unpaired surrogate, or a primary key over 512 characters is rejected as a row, naming its field.",
          requestBody: recordsUpload,
          responses: {
            "200": { description: "The load report", ...json(ref("LoadReport")) },
            "400": error("Malformed JSON array or CSV, or an empty body"),
            "404": error("No such product"),
            "408": error("The upload sent nothing for UPLOAD_IDLE_SECONDS, or took longer than UPLOAD_TIMEOUT_SECONDS; nothing was stored"),
            "409": error("The product's schema changed while the upload was read; nothing was stored"),
            "415": error("Content-Type is not application/json, application/x-ndjson or text/csv, or names an unknown charset"),
            "422": error("Not valid UTF-8 (or the named charset), naming the line; a CSV header that repeats a column or has columns that are not fields of the schema"),
            ...unauthorized,
            ...notOwner,
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
            ...unauthorized,
            ...restricted,
          },
        },
      },
      "/api/products/{domain}/{name}/odps.yaml": {
        parameters: addressParams,
        get: {
          summary: "The product as an Open Data Product Standard v1.1.0 document (YAML)",
          responses: { "200": { description: "ODPS YAML; its output port names the ODCS contract's id", content: { "application/yaml": { schema: { type: "string" } } } }, "404": error("No such product"), ...unauthorized },
        },
      },
      "/api/products/{domain}/{name}/odcs.yaml": {
        parameters: addressParams,
        get: {
          summary: "The product's contract as an Open Data Contract Standard v3.1.0 document (YAML): schema, SLA",
          responses: { "200": { description: "ODCS YAML, valid against the standard's JSON Schema", content: { "application/yaml": { schema: { type: "string" } } } }, "404": error("No such product"), ...unauthorized },
        },
      },
      "/api/products/import": {
        post: {
          summary: "Create or update a product from ODPS and/or ODCS YAML; nothing is stored when any part is invalid",
          parameters: [
            { name: "dryRun", in: "query", schema: { type: "boolean", default: false }, description: "Report the changes, store nothing" },
            { name: "domain", in: "query", schema: { type: "string" }, description: "Import into this domain instead of the document's" },
          ],
          requestBody: {
            required: true,
            content: {
              "application/yaml": { schema: { type: "string", description: "One or two YAML documents (--- between them)" } },
              "multipart/form-data": { schema: { type: "object", additionalProperties: { type: "string", format: "binary" }, description: "YAML files; dryRun and domain may be fields" } },
            },
          },
          responses: {
            "200": { description: "Updated, unchanged, or (dryRun) what would change", ...json(ref("ImportResult")) },
            "201": { description: "Created", ...json(ref("ImportResult")) },
            "409": error("A breaking schema change without a new major version"),
            "413": error("Body larger than 1 MiB"),
            "415": error("Neither YAML nor multipart/form-data"),
            "422": error('Invalid documents: fieldErrors keyed by YAML path, e.g. "schema[0].properties[3].logicalType"'),
            ...unauthorized,
            ...notOwner,
          },
        },
      },
      "/api/products/{domain}/{name}/schema-versions": {
        parameters: addressParams,
        get: {
          summary: "Every schema the product has had, newest first, each with its changes from the one before",
          responses: { "200": { description: "The versions (without their schemas)", ...json(ref("SchemaVersionList")) }, "404": error("No such product"), ...unauthorized },
        },
      },
      "/api/products/{domain}/{name}/schema-versions/{number}": {
        parameters: [...addressParams, { name: "number", in: "path", required: true, schema: { type: "integer", minimum: 1 }, description: "Schema version, from 1" }],
        get: {
          summary: "One schema version with its schema",
          responses: { "200": { description: "The version", ...json(ref("SchemaVersion")) }, "404": error("No such product or version"), "422": error("Not a version number"), ...unauthorized },
        },
      },
      "/api/products/{domain}/{name}/access-requests": {
        parameters: addressParams,
        post: {
          summary: "Ask for access to a restricted product's records, with a purpose and a number of days",
          requestBody: { required: true, ...json(ref("AccessRequestInput")) },
          responses: {
            "201": { description: "The request, pending until an owner decides", ...json(ref("AccessRequest")) },
            "404": error("No such product"),
            "409": error("The product is public, you can already read its records, or a request of yours is pending"),
            ...bodyErrors,
            ...unauthorized,
          },
        },
        get: {
          summary: "The product's access requests: all of them for its domain's owners and admins, your own for anyone else",
          responses: {
            "200": { description: "Requests, newest first", ...json({ type: "object", properties: { requests: { type: "array", items: ref("AccessRequest") } } }) },
            "404": error("No such product"),
            ...unauthorized,
          },
        },
      },
      "/api/products/{domain}/{name}/access-requests/{id}/approve": {
        parameters: [...addressParams, { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        post: {
          summary: "Approve a pending request (send {} for the days asked): the requester reads the records until the grant expires",
          requestBody: { required: true, ...json(ref("ApproveInput")) },
          responses: {
            "200": { description: "The approved request, with its grant", ...json(ref("AccessRequest")) },
            "404": error("No such product or request"),
            "409": error("The request was already decided"),
            ...bodyErrors,
            ...unauthorized,
            ...forbidden("Only the owners of the product's domain and admins decide, and never their own request"),
          },
        },
      },
      "/api/products/{domain}/{name}/access-requests/{id}/deny": {
        parameters: [...addressParams, { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        post: {
          summary: "Deny a pending request with a reason the requester sees",
          requestBody: { required: true, ...json(ref("DenyInput")) },
          responses: {
            "200": { description: "The denied request", ...json(ref("AccessRequest")) },
            "404": error("No such product or request"),
            "409": error("The request was already decided"),
            ...bodyErrors,
            ...unauthorized,
            ...forbidden("Only the owners of the product's domain and admins decide, and never their own request"),
          },
        },
      },
      "/api/products/{domain}/{name}/grants": {
        parameters: addressParams,
        get: {
          summary: "The product's grants: active, expired and revoked",
          responses: {
            "200": { description: "Grants, newest first", ...json({ type: "object", properties: { grants: { type: "array", items: ref("AccessGrant") } } }) },
            "404": error("No such product"),
            ...unauthorized,
            ...notDecider,
          },
        },
      },
      "/api/products/{domain}/{name}/grants/{id}": {
        parameters: [...addressParams, { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        delete: {
          summary: "Revoke a grant at once",
          responses: { "204": { description: "Revoked" }, "404": error("No such product or grant"), "409": error("Already revoked"), ...unauthorized, ...notDecider },
        },
      },
      "/api/mcp": {
        post: {
          summary: "Model Context Protocol (Streamable HTTP, JSON responses): tools search_products, get_product, query_product, ask, get_record",
          description: "JSON-RPC messages of MCP; only API keys sign in (Authorization: Bearer). Use an MCP client rather than calling it by hand.",
          security: [{ bearer: [] }],
          responses: { "200": { description: "The JSON-RPC response" }, ...unauthorized },
        },
      },
      "/api/openapi.json": {
        get: { summary: "This document", security: [], responses: { "200": { description: "OpenAPI 3.1 document" } } },
      },
    },
    security: [{ bearer: [] }, { cookie: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key from the settings page or POST /api/keys" },
        cookie: { type: "apiKey", in: "cookie", name: "better-auth.session_token", description: "The session of POST /api/auth/sign-in/email" },
      },
      schemas: {
        ProductInput: jsonSchema(productInputSchema, "input"),
        ProductUpdate: jsonSchema(productUpdateSchema, "input"),
        Product: jsonSchema(productOutputSchema, "output"),
        ProductList: jsonSchema(productListSchema, "output"),
        SemanticSearchInput: jsonSchema(semanticSearchInputSchema, "input"),
        SemanticSearchStatus: jsonSchema(semanticSearchStatusSchema, "output"),
        SemanticQueryInput: jsonSchema(semanticQueryInputSchema, "input"),
        SemanticQueryResult: jsonSchema(semanticQueryResultSchema, "output"),
        InferenceInput: jsonSchema(inferenceInputSchema, "input"),
        InferenceStatus: jsonSchema(inferenceStatusSchema, "output"),
        InferenceRunInput: jsonSchema(runInputSchema, "input"),
        TransformInput: jsonSchema(transformInputSchema, "input"),
        TransformResult: jsonSchema(transformResultSchema, "output"),
        DiscoveryResult: jsonSchema(discoveryResultSchema, "output"),
        FederatedQueryInput: jsonSchema(federatedQueryInputSchema, "input"),
        FederatedQueryResult: jsonSchema(answeredQueryResultSchema, "output"),
        Plan: jsonSchema(planSchema, "output"),
        ConversationList: jsonSchema(conversationListSchema, "output"),
        Conversation: jsonSchema(conversationSchema, "output"),
        Answer: jsonSchema(answerSchema, "output"),
        LoadReport: jsonSchema(loadReportSchema, "output"),
        Record: jsonSchema(storedRecordSchema, "output"),
        RecordList: jsonSchema(recordListSchema, "output"),
        Health: jsonSchema(healthSchema, "output"),
        HealthHistory: jsonSchema(historySchema, "output"),
        PurgeInput: jsonSchema(purgeInputSchema, "input"),
        PurgeResult: jsonSchema(purgeResultSchema, "output"),
        Error: jsonSchema(errorSchema, "output"),
        DomainInput: jsonSchema(domainInputSchema, "input"),
        Domain: jsonSchema(domainOutputSchema, "output"),
        ApiKeyInput: jsonSchema(apiKeyInputSchema, "input"),
        ApiKeyCreated: jsonSchema(apiKeyCreatedSchema, "output"),
        ApiKeyList: jsonSchema(apiKeyListSchema, "output"),
        ImportResult: jsonSchema(importResultSchema, "output"),
        SchemaVersionList: jsonSchema(schemaVersionListSchema, "output"),
        SchemaVersion: jsonSchema(schemaVersionSchema, "output"),
        Subscription: jsonSchema(subscriptionSchema, "output"),
        SubscriptionList: jsonSchema(subscriptionListSchema, "output"),
        NotificationList: jsonSchema(notificationListSchema, "output"),
        MarkReadInput: jsonSchema(markReadInputSchema, "input"),
        MarkReadResult: jsonSchema(markReadResultSchema, "output"),
        WebhookInput: jsonSchema(webhookInputSchema, "input"),
        WebhookCreated: jsonSchema(webhookCreatedSchema, "output"),
        WebhookList: jsonSchema(webhookListSchema, "output"),
        WebhookDelivery: jsonSchema(deliverySchema, "output"),
        WebhookDeliveryList: jsonSchema(deliveryListSchema, "output"),
        AccessRequestInput: jsonSchema(accessRequestInputSchema, "input"),
        ApproveInput: jsonSchema(approveInputSchema, "input"),
        DenyInput: jsonSchema(denyInputSchema, "input"),
        AccessRequest: jsonSchema(accessRequestSchema, "output"),
        AccessGrant: jsonSchema(accessGrantSchema, "output"),
      },
    },
  };
}
