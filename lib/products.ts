import { parseOrThrow } from "./errors";
import { deleteProduct, getProduct, insertProduct, queryProducts, updateProduct } from "./db/products";
import {
  productFiltersSchema,
  productInputSchema,
  productUpdateSchema,
  type Product,
} from "./validation/product";

/**
 * The product use cases, shared by the REST API and the server actions:
 * validate with the shared zod schemas, then let lib/db do the work.
 */

export function registerProduct(input: unknown): Promise<Product> {
  return insertProduct(parseOrThrow(productInputSchema, input));
}

export function editProduct(domain: string, name: string, patch: unknown): Promise<Product> {
  const changes = parseOrThrow(productUpdateSchema, patch);
  return updateProduct(domain, name, (current) =>
    parseOrThrow(productInputSchema, {
      domain: current.domain,
      name: current.name,
      title: current.title,
      description: current.description,
      owner: current.owner,
      tags: current.tags,
      status: current.status,
      version: current.version,
      schema: current.schema,
      sla: current.sla,
      ...changes,
    }),
  );
}

export function listProducts(query: unknown) {
  return queryProducts(parseOrThrow(productFiltersSchema, query));
}

export { deleteProduct as removeProduct, getProduct };
