import { requireDomainWriter, requireProductRegistrar, type Actor } from "./auth/guard";
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
 * check the actor's rights (lib/auth/guard.ts), validate with the shared zod
 * schemas, then let lib/db do the work (and write the audit log).
 */

export function registerProduct(actor: Actor, input: unknown): Promise<Product> {
  requireProductRegistrar(actor);
  const product = parseOrThrow(productInputSchema, input);
  requireDomainWriter(actor, product.domain);
  return insertProduct(product, actor);
}

export function editProduct(actor: Actor, domain: string, name: string, patch: unknown): Promise<Product> {
  requireDomainWriter(actor, domain);
  const changes = parseOrThrow(productUpdateSchema, patch);
  return updateProduct(
    domain,
    name,
    (current) =>
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
    actor,
  );
}

export function removeProduct(actor: Actor, domain: string, name: string): Promise<void> {
  requireDomainWriter(actor, domain);
  return deleteProduct(domain, name, actor);
}

export function listProducts(query: unknown) {
  return queryProducts(parseOrThrow(productFiltersSchema, query));
}

export { getProduct };
