// lib/search: retrieval engines: the background indexer, one product's hybrid search, discovery, the federated planner.
import { findProduct } from "../db/products";
import { AppError } from "../errors";
import { RESTRICTED_REASON, type RecordAccess } from "../mesh/access";
import { accessPath, type ProductRef } from "../paths";
import {
  MAX_PRODUCTS_PER_QUERY,
  type FederatedProduct,
  type FederatedQueryInput,
  type FederatedQueryResult,
} from "../validation/discovery";
import type { Product } from "../validation/product";
import type { SemanticQueryInput, SemanticQueryResult } from "../validation/semantic-search";
import { rankProducts } from "./discovery";
import { searchProduct } from "./product-search";

/**
 * The federated query planner: discovery picks the relevant products (or the caller
 * names them), each is queried semantically in parallel with its own model
 * and a timeout, and one slow or failing product becomes an error entry in
 * the answer instead of failing it. A product whose records the reader may
 * not read (`access`) is reported as restricted, with where to ask for
 * access, and never searched. Serves the REST API and the chat.
 */

export const PRODUCT_TIMEOUT_MS = 5000;
/** Products discovery hands to retrieval when the caller names none. */
export const DISCOVERED_PRODUCTS = 3;

export type Retrieve = (product: ProductRef, query: SemanticQueryInput) => Promise<SemanticQueryResult>;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function federatedQuery(
  { question, k, products: named }: FederatedQueryInput,
  access: RecordAccess,
  { retrieve = searchProduct, timeoutMs = PRODUCT_TIMEOUT_MS }: { retrieve?: Retrieve; timeoutMs?: number } = {},
): Promise<FederatedQueryResult> {
  const started = performance.now();

  let targets: { product: Product; score: number | null }[];
  if (named) {
    targets = await Promise.all(
      [...new Set(named)].map(async (address) => {
        const [domain, name] = address.split("/") as [string, string];
        const product = await findProduct(domain, name);
        if (!product) throw new AppError("validation", `No data product ${address}`, { products: [`No data product ${address}`] });
        return { product, score: null };
      }),
    );
  } else {
    const ranked = await rankProducts(question, Math.min(DISCOVERED_PRODUCTS, MAX_PRODUCTS_PER_QUERY), access);
    targets = ranked.map(({ product, score }) => ({ product, score }));
  }
  const discovered = performance.now();

  const products = await Promise.all(
    targets.map(async ({ product, score }): Promise<FederatedProduct> => {
      const target = { domain: product.domain, name: product.name, title: product.title, score };
      const begin = performance.now();
      const elapsed = () => Math.round(performance.now() - begin);
      if (!access.readable(product)) {
        return { ...target, status: "restricted", reason: RESTRICTED_REASON, requestAccess: accessPath(product), fields: [], durationMs: elapsed(), results: [] };
      }
      try {
        const { results, fields } = await withTimeout(retrieve(target, { question, k }), timeoutMs);
        return { ...target, status: "ok", fields, durationMs: elapsed(), results };
      } catch (error) {
        // Not enabled, still indexing or failed to index: the product cannot answer yet.
        if (error instanceof AppError && error.code === "conflict") {
          return { ...target, status: "skipped", reason: error.message, fields: [], durationMs: elapsed(), results: [] };
        }
        if (!(error instanceof AppError)) console.error(`Federated query of ${target.domain}/${target.name} failed:`, error);
        const reason = error instanceof AppError || (error instanceof Error && error.message.startsWith("no answer")) ? (error as Error).message : "the product's search failed";
        return { ...target, status: "error", reason, fields: [], durationMs: elapsed(), results: [] };
      }
    }),
  );
  const finished = performance.now();
  return {
    products,
    timings: {
      discoveryMs: Math.round(discovered - started),
      retrievalMs: Math.round(finished - discovered),
      totalMs: Math.round(finished - started),
    },
  };
}
