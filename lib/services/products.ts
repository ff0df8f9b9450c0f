// lib/services: the use cases, one module per aggregate; routes, server actions and pages call only these.
import { requireDomainWriter, requireProductRegistrar, requireRead, type Actor } from "../auth/guard";
import { productAudit, type AuditEntry } from "../db/audit";
import { findInference, outputFieldsOf } from "../db/inference";
import { deleteProduct, findProduct as findStoredProduct, getProduct as getStoredProduct, insertProduct, productFacets, queryProducts, updateProduct } from "../db/products";
import { AppError, parseOrThrow, type FieldErrors } from "../errors";
import { qualityRuleProblems } from "../mesh/quality";
import { productChangeEvents } from "../mesh/events";
import { eventTimeFieldProblem } from "../mesh/health";
import { collidingOutputFields } from "../mesh/inference";
import { schemaChangeProblems } from "../mesh/product";
import { breakingChangeAllowed, classifySchemaChange, nextMajor } from "../mesh/schema-versions";
import type { ProductRef } from "../paths";
import { rankProducts, tryIndexForDiscovery } from "../search/discovery";
import type { EmbeddingModelInfo } from "../ai/models";
import type { InferenceStatus } from "../validation/inference";
import type { RecordsTableQuery } from "../validation/records";
import type { SemanticSearchStatus } from "../validation/semantic-search";
import { productAccessView, recordAccess, type AccessView } from "./access";
import { deliverSoon, raiseEvents } from "./events";
import { checkAfterEdit, productHealth, productHealthHistory, type Health, type HealthHistory } from "./health";
import { inferenceStatusOf } from "./inference";
import { recordsTable, type RecordsTable } from "./records";
import { availableEmbeddingModels, semanticSearchStatusOf } from "./semantic-search";
import { inSearchLane } from "./search-lane";
import {
  CATALOG_PAGE_SIZE,
  productInputSchema,
  type CatalogQuery,
  type Product,
  type ProductFilters,
  type ProductInput,
  type ProductUpdate,
} from "../validation/product";

/**
 * The product use cases, shared by the REST API, the server actions and the
 * pages: check the actor's rights (lib/auth/guard.ts), let lib/db do the work
 * (and write the audit log), and index the product for discovery. Inputs
 * arrive parsed by the caller with the shared zod schemas.
 */

export type { AuditEntry, Product };

/** `indexForDiscovery: false` leaves that to the server's start (instrumentation.ts), e.g. for the demo seed, which then loads no model. */
export async function registerProduct(actor: Actor, input: ProductInput, { indexForDiscovery = true } = {}): Promise<Product> {
  requireProductRegistrar(actor);
  requireDomainWriter(actor, input.domain);
  requireFitsSchema(input);
  const product = await insertProduct(input, actor);
  if (indexForDiscovery) await tryIndexForDiscovery(product);
  return product;
}

/** 422 unless sla.eventTimeField names a date or timestamp field of the schema and the quality rules fit it. */
function requireFitsSchema({ schema, sla, quality }: Pick<ProductInput, "schema" | "sla" | "quality">): void {
  const problem = eventTimeFieldProblem(schema, sla.eventTimeField);
  const problems: FieldErrors = { ...(problem ? { "sla.eventTimeField": [problem] } : {}), ...qualityRuleProblems(schema, quality) };
  const fields = Object.keys(problems);
  if (fields.length) throw new AppError("validation", problem ?? `Invalid quality rules: check ${fields.join(", ")}`, problems);
}

export async function editProduct(actor: Actor, { domain, name }: ProductRef, changes: ProductUpdate): Promise<Product> {
  requireDomainWriter(actor, domain);
  if (changes.schema) {
    // AI-derived fields extend the schema: a new schema field may not take an output field's name.
    const inference = await findInference((await getStoredProduct(domain, name)).id);
    const taken = inference ? collidingOutputFields(changes.schema, outputFieldsOf(inference)) : [];
    if (taken.length) {
      const message = `${taken.join(", ")} ${taken.length > 1 ? "are AI output fields" : "is an AI output field"} of this product's inference; rename the field or change the inference first`;
      throw new AppError("validation", message, { schema: [message] });
    }
  }
  const at = new Date();
  let deliveries = 0;
  const product = await updateProduct(
    domain,
    name,
    (current) => {
      // The change applied to the stored product must still make a valid product.
      const next = parseOrThrow(productInputSchema, {
        domain: current.domain,
        name: current.name,
        title: current.title,
        description: current.description,
        owner: current.owner,
        tags: current.tags,
        status: current.status,
        visibility: current.visibility,
        version: current.version,
        schema: current.schema,
        sla: current.sla,
        quality: current.quality,
        ...changes,
      });
      requireFitsSchema(next);
      requireMajorForBreaking(current, next);
      const problems = current.recordCount > 0 ? schemaChangeProblems(current.schema, next.schema) : [];
      if (problems.length) {
        throw new AppError("validation", `The schema change would invalidate stored records: ${problems.join("; ")}`, { schema: problems });
      }
      return next;
    },
    actor,
    async (tx, before, after) => (deliveries = await raiseEvents(tx, after, productChangeEvents(before, after, at))),
  );
  deliverSoon(deliveries, at);
  // Health is measured against what the product declares: new targets or rules are checked at once.
  if (changes.sla || changes.quality || changes.schema) await checkAfterEdit(product);
  await tryIndexForDiscovery(product);
  return product;
}

/**
 * 409 listing the breaking changes when the schema changes in a way consumers
 * cannot follow (lib/mesh/schema-versions.ts) without a new major version.
 */
function requireMajorForBreaking(current: Product, next: ProductInput): void {
  const { breaking } = classifySchemaChange(current.schema, next.schema);
  if (!breaking.length || breakingChangeAllowed(current.version, next.version)) return;
  const messages = breaking.map((item) => item.message);
  throw new AppError(
    "conflict",
    `Breaking schema change (${messages.join("; ")}): set version to ${nextMajor(current.version)} or higher`,
    { schema: messages, version: [`A breaking change needs a new major version: ${nextMajor(current.version)} or higher (now ${current.version})`] },
  );
}

export function removeProduct(actor: Actor, { domain, name }: ProductRef): Promise<void> {
  requireDomainWriter(actor, domain);
  return deleteProduct(domain, name, actor);
}

export function listProducts(reader: Actor | null, filters: ProductFilters) {
  requireRead(reader);
  return queryProducts(filters);
}

export function getProduct(reader: Actor | null, { domain, name }: ProductRef): Promise<Product> {
  requireRead(reader);
  return getStoredProduct(domain, name);
}

/** The product, or null when there is none (pages show their 404). */
export function findProduct(reader: Actor | null, { domain, name }: ProductRef): Promise<Product | null> {
  requireRead(reader);
  return findStoredProduct(domain, name);
}

/** Who changed the product, when and what: the newest first. */
export function productHistory(reader: Actor | null, { domain, name }: ProductRef): Promise<AuditEntry[]> {
  requireRead(reader);
  return productAudit(domain, name);
}

export interface CatalogPage {
  products: Product[];
  total: number;
  /** Why discovery ranked each product (by product id), when ranked by meaning. */
  reasons: Map<string, string[]>;
  facets: { domains: string[]; tags: string[] };
}

/**
 * The catalog page: products matching the keywords and filters, a page at a
 * time; or, in meaning mode, the best products for the question by meaning
 * and keywords (discovery), then the filters.
 */
export async function catalog(reader: Actor | null, query: CatalogQuery): Promise<CatalogPage> {
  requireRead(reader);
  const byMeaning = query.mode === "meaning" && Boolean(query.q);
  const [found, facets] = await Promise.all([
    byMeaning
      ? rankedByMeaning(reader, query)
      : queryProducts({
          q: query.q,
          domain: query.domain,
          status: query.status,
          tag: query.tag,
          health: query.health,
          limit: CATALOG_PAGE_SIZE,
          offset: (query.page - 1) * CATALOG_PAGE_SIZE,
        }).then((page) => ({ ...page, reasons: new Map<string, string[]>() })),
    productFacets(),
  ]);
  return { ...found, facets };
}

async function rankedByMeaning(reader: Actor | null, query: CatalogQuery) {
  const access = await recordAccess(reader);
  const ranked = (await inSearchLane(() => rankProducts(query.q!, CATALOG_PAGE_SIZE * 2, access))).filter(
    ({ product }) =>
      (!query.domain || product.domain === query.domain) &&
      (!query.status || product.status === query.status) &&
      (!query.tag || product.tags.includes(query.tag)) &&
      (!query.health || product.health === query.health),
  );
  const shown = ranked.slice(0, CATALOG_PAGE_SIZE);
  return {
    products: shown.map(({ product }) => product),
    total: shown.length,
    reasons: new Map(shown.map(({ product, reasons }) => [product.id, reasons])),
  };
}

export interface ProductOverview {
  semanticSearch: SemanticSearchStatus;
  inference: InferenceStatus;
  /** The embedding models semantic search can use. */
  models: EmbeddingModelInfo[];
  /** Whether the reader reads the product's records (a restricted product's: owners, admins, grantees). */
  canReadRecords: boolean;
  /** A restricted product's access requests and grants, as the reader sees them; null for a public product. */
  access: AccessView | null;
  /** The records table, sorted and paged as asked; null for a reader who may not read them. */
  records: RecordsTable | null;
  history: AuditEntry[];
  health: Health;
  /** Compliance over the last 30 days, for the chart. */
  healthHistory: HealthHistory;
}

/** Everything the product page shows about a product beside its definition. */
export async function productOverview(reader: Actor | null, product: Product, table: RecordsTableQuery): Promise<ProductOverview> {
  requireRead(reader);
  const access = product.visibility === "restricted" ? await productAccessView(reader, product) : null;
  const canReadRecords = access ? access.canRead : true;
  const [semanticSearch, inference, records, history, health, healthHistory] = await Promise.all([
    semanticSearchStatusOf(product.id, product.recordCount),
    inferenceStatusOf(product.id, product.recordCount),
    canReadRecords ? recordsTable(reader, product, table) : null,
    productAudit(product.domain, product.name),
    productHealth(reader, product),
    productHealthHistory(reader, product, { days: 30 }),
  ]);
  return { semanticSearch, inference, models: availableEmbeddingModels(), canReadRecords, access, records, history, health, healthHistory };
}
