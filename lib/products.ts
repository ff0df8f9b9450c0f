import { requireDomainWriter, requireProductRegistrar, type Actor } from "./auth/guard";
import { AppError, parseOrThrow } from "./errors";
import { deleteProduct, getProduct, insertProduct, queryProducts, updateProduct } from "./db/products";
import { findInference, outputFieldsOf } from "./db/inference";
import { collidingOutputFields } from "./mesh/inference";
import { schemaChangeProblems } from "./mesh/product";
import { tryIndexForDiscovery } from "./search/discovery";
import {
  productFiltersSchema,
  productInputSchema,
  productUpdateSchema,
  type Product,
} from "./validation/product";

/**
 * The product use cases, shared by the REST API and the server actions:
 * check the actor's rights (lib/auth/guard.ts), validate with the shared zod
 * schemas, then let lib/db do the work (and write the audit log), and index
 * the product for discovery.
 */

/** `indexForDiscovery: false` leaves that to the server's start (instrumentation.ts), e.g. for the demo seed, which then loads no model. */
export async function registerProduct(actor: Actor, input: unknown, { indexForDiscovery = true } = {}): Promise<Product> {
  requireProductRegistrar(actor);
  const parsed = parseOrThrow(productInputSchema, input);
  requireDomainWriter(actor, parsed.domain);
  const product = await insertProduct(parsed, actor);
  if (indexForDiscovery) await tryIndexForDiscovery(product);
  return product;
}

export async function editProduct(actor: Actor, domain: string, name: string, patch: unknown): Promise<Product> {
  requireDomainWriter(actor, domain);
  const changes = parseOrThrow(productUpdateSchema, patch);
  if (changes.schema) {
    // AI-derived fields extend the schema: a new schema field may not take an output field's name.
    const inference = await findInference((await getProduct(domain, name)).id);
    const taken = inference ? collidingOutputFields(changes.schema, outputFieldsOf(inference)) : [];
    if (taken.length) {
      const message = `${taken.join(", ")} ${taken.length > 1 ? "are AI output fields" : "is an AI output field"} of this product's inference; rename the field or change the inference first`;
      throw new AppError("validation", message, { schema: [message] });
    }
  }
  const product = await updateProduct(
    domain,
    name,
    (current) => {
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
    },
    actor,
  );
  await tryIndexForDiscovery(product);
  return product;
}

export function removeProduct(actor: Actor, domain: string, name: string): Promise<void> {
  requireDomainWriter(actor, domain);
  return deleteProduct(domain, name, actor);
}

export function listProducts(query: unknown) {
  return queryProducts(parseOrThrow(productFiltersSchema, query));
}

export { getProduct };
