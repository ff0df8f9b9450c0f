import { AppError, parseOrThrow } from "./errors";
import { schemaChangeProblems } from "./mesh/product";
import { tryIndexForDiscovery } from "./search/discovery";
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

export async function registerProduct(input: unknown): Promise<Product> {
  const product = await insertProduct(parseOrThrow(productInputSchema, input));
  await tryIndexForDiscovery(product);
  return product;
}

export async function editProduct(domain: string, name: string, patch: unknown): Promise<Product> {
  const changes = parseOrThrow(productUpdateSchema, patch);
  const product = await updateProduct(domain, name, (current) => {
    const next = parseOrThrow(productInputSchema, {
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
    });
    const problems = current.recordCount > 0 ? schemaChangeProblems(current.schema, next.schema) : [];
    if (problems.length) {
      throw new AppError("validation", `The schema change would invalidate stored records: ${problems.join("; ")}`, { schema: problems });
    }
    return next;
  });
  await tryIndexForDiscovery(product);
  return product;
}

export function listProducts(query: unknown) {
  return queryProducts(parseOrThrow(productFiltersSchema, query));
}

export { deleteProduct as removeProduct, getProduct };
