// lib/paths: every page, API and record path of the portal.
import type { CatalogQuery } from "./validation/product";

/**
 * Every path of the portal, in one place: pages, the REST API and records.
 * Domain and product names are kebab-case slugs, safe in a path as they are;
 * a record key is any text, encoded by `encodeKey`, the one key encoding.
 */

export type ProductRef = { domain: string; name: string };

/**
 * A record key as one path segment: percent-encoded, `!'()*` too, so that a
 * URL can be pasted into a shell unquoted and a ")" cannot end a Markdown link.
 */
export function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

const withQuery = (path: string, params: URLSearchParams, hash = "") => {
  const search = params.toString();
  return `${path}${search ? `?${search}` : ""}${hash}`;
};

// Pages

export const CATALOG_PATH = "/products";
export const NEW_PRODUCT_PATH = "/products/new";
export const CHAT_PATH = "/chat";
export const ADMIN_PATH = "/admin";
export const SETTINGS_PATH = "/settings";
export const SIGN_IN_PATH = "/sign-in";
export const REQUESTS_PATH = "/requests";

/** The catalog for `query` with `changes` applied; empty and default values are left out. */
export function catalogPath(query: Partial<CatalogQuery> = {}, changes: Partial<CatalogQuery> = {}): string {
  const merged = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const key of ["q", "mode", "domain", "status", "tag", "health", "page"] as const) {
    const value = merged[key];
    if (value === undefined || value === "" || (key === "page" && value === 1) || (key === "mode" && value === "keyword")) continue;
    params.set(key, String(value));
  }
  return withQuery(CATALOG_PATH, params);
}

export const productPath = (product: ProductRef) => `/products/${product.domain}/${product.name}`;
export const editProductPath = (product: ProductRef) => `${productPath(product)}/edit`;
/** Where a reader asks for access to a restricted product's records: its page's access section. */
export const accessPath = (product: ProductRef) => `${productPath(product)}#access`;

/** The record's page: /products/{domain}/{name}/records/{key}. */
export const recordPath = (product: ProductRef, key: string) => `${productPath(product)}/records/${encodeKey(key)}`;

export type RecordsSort = { sort: string | null; dir: "asc" | "desc"; page: number };

/** The product page showing the records table sorted and paged as given; defaults are left out. */
export function recordsTablePath(product: ProductRef, { sort, dir, page }: RecordsSort): string {
  const params = new URLSearchParams();
  if (sort) params.set("sort", sort);
  if (dir === "desc") params.set("dir", dir);
  if (page > 1) params.set("page", String(page));
  return withQuery(productPath(product), params, "#records");
}

/** The sign-in page, returning to `next` afterwards. */
export const signInPath = (next?: string) => (next ? `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}` : SIGN_IN_PATH);

/** A same-site path to return to after signing in; anything else becomes the catalog. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return CATALOG_PATH;
  return next;
}

// REST API (a stable contract: see lib/openapi.ts)

export const OPENAPI_PATH = "/api/openapi.json";
export const productsApiPath = "/api/products";
export const productApiPath = (product: ProductRef) => `/api${productPath(product)}`;
export const recordsApiPath = (product: ProductRef) => `${productApiPath(product)}/records`;
export const recordApiPath = (product: ProductRef, key: string) => `/api${recordPath(product, key)}`;
export const queryApiPath = (product: ProductRef) => `${productApiPath(product)}/query`;
export const transformApiPath = (product: ProductRef) => `${productApiPath(product)}/transform`;
export const accessRequestsApiPath = (product: ProductRef) => `${productApiPath(product)}/access-requests`;
export const accessRequestApiPath = (product: ProductRef, id: string, decision: "approve" | "deny") => `${accessRequestsApiPath(product)}/${id}/${decision}`;
export const grantsApiPath = (product: ProductRef) => `${productApiPath(product)}/grants`;
export const grantApiPath = (product: ProductRef, id: string) => `${grantsApiPath(product)}/${id}`;
export const semanticSearchApiPath = (product: ProductRef) => `${productApiPath(product)}/capabilities/semantic-search`;
export const inferenceApiPath = (product: ProductRef) => `${productApiPath(product)}/capabilities/inference`;
export const inferenceRunApiPath = (product: ProductRef) => `${inferenceApiPath(product)}/run`;
export const healthApiPath = (product: ProductRef) => `${productApiPath(product)}/health`;
export const healthCheckApiPath = (product: ProductRef) => `${healthApiPath(product)}/check`;
export const healthPurgeApiPath = (product: ProductRef) => `${healthApiPath(product)}/purge`;
export const healthHistoryApiPath = (product: ProductRef, days?: number) => `${healthApiPath(product)}/history${days ? `?days=${days}` : ""}`;

// Subscriptions, notifications and webhooks

export const NOTIFICATIONS_PATH = "/notifications";
export const subscriptionApiPath = (product: ProductRef) => `${productApiPath(product)}/subscription`;
export const SUBSCRIPTIONS_API_PATH = "/api/subscriptions";
export const NOTIFICATIONS_API_PATH = "/api/notifications";
export const NOTIFICATIONS_READ_API_PATH = `${NOTIFICATIONS_API_PATH}/read`;
export const webhooksApiPath = (domain: string) => `/api/domains/${domain}/webhooks`;
export const webhookApiPath = (domain: string, id: string) => `${webhooksApiPath(domain)}/${id}`;
export const webhookTestApiPath = (domain: string, id: string) => `${webhookApiPath(domain, id)}/test`;
export const webhookDeliveriesApiPath = (domain: string, id: string) => `${webhookApiPath(domain, id)}/deliveries`;

// Contracts as code and the MCP server

export const IMPORT_PRODUCTS_PATH = "/products/import";
export const importApiPath = `${productsApiPath}/import`;
export const odpsApiPath = (product: ProductRef) => `${productApiPath(product)}/odps.yaml`;
export const odcsApiPath = (product: ProductRef) => `${productApiPath(product)}/odcs.yaml`;
export const schemaVersionsApiPath = (product: ProductRef) => `${productApiPath(product)}/schema-versions`;
export const MCP_PATH = "/api/mcp";
