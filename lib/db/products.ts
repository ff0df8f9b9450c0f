import "server-only";
import { AppError } from "../errors";
import type { AccessTarget } from "../mesh/access";
import { diffFields, updateAction } from "../mesh/audit";
import type { HealthStatus } from "../mesh/health";
import { buildSearchText, deletionDecision, searchTerms } from "../mesh/product";
import { sameSchema } from "../mesh/schema-versions";
import type { ProductRef } from "../paths";
import type {
  CapabilityState,
  Product,
  ProductFilters,
  ProductInput,
  ProductSchema,
  ProductStatus,
  ProductUpdate,
  Sla,
} from "../validation/product";
import type { QualityRule } from "../validation/quality";
import { writeAudit, type AuditActor } from "./audit";
import { db } from "./client";
import { indexMetadataLexically } from "./lexical";
import { setEventTimes } from "./records";
import type { Prisma } from "./generated/client";
import { writeSchemaVersion } from "./schema-versions";

/** All product queries. Driver errors become AppErrors here. Every write is audited in its transaction. */

/** The fields an edit can change, in the order the audit log lists them. */
const EDITABLE_FIELDS = ["title", "description", "owner", "tags", "status", "visibility", "version", "schema", "sla", "quality"] as const;

const withCount = {
  _count: { select: { records: true } },
  semanticSearch: { select: { status: true } },
  health: { select: { status: true } },
} as const;
type ProductRow = Prisma.ProductGetPayload<{ include: typeof withCount }>;

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    domain: row.domain,
    name: row.name,
    title: row.title,
    description: row.description,
    owner: row.owner,
    tags: row.tags,
    status: row.status,
    visibility: row.visibility,
    version: row.version,
    schema: row.schema as ProductSchema,
    sla: row.sla as Sla,
    quality: row.quality as QualityRule[],
    recordCount: row._count.records,
    lastLoadedAt: row.lastLoadedAt?.toISOString() ?? null,
    capabilities: { semanticSearch: (row.semanticSearch?.status as CapabilityState | undefined) ?? null },
    health: (row.health?.status as HealthStatus | undefined) ?? "unknown",
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function prismaCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

function notFound(domain: string, name: string): AppError {
  return new AppError("not_found", `No data product ${domain}/${name}`);
}

export async function insertProduct(input: ProductInput, by: AuditActor): Promise<Product> {
  try {
    return await db().$transaction(async (tx) => {
      const row = await tx.product.create({
        data: { ...input, searchText: buildSearchText(input) },
        include: withCount,
      });
      const product = toProduct(row);
      await indexMetadataLexically(tx, product.id);
      const changes = Object.fromEntries(EDITABLE_FIELDS.map((field) => [field, { from: null, to: product[field] }]));
      await writeAudit(tx, by, { action: "product.created", domain: product.domain, name: product.name, changes });
      await writeSchemaVersion(tx, by, { productId: product.id, productVersion: product.version, schema: product.schema, previous: null });
      return product;
    });
  } catch (error) {
    if (prismaCode(error) === "P2002") {
      throw new AppError("conflict", `A data product ${input.domain}/${input.name} already exists`, {
        name: [`${input.domain}/${input.name} is already registered`],
      });
    }
    if (prismaCode(error) === "P2003") {
      throw new AppError("validation", `There is no domain ${input.domain}`, {
        domain: [`No domain ${input.domain}: an admin registers it first`],
      });
    }
    throw error;
  }
}

export async function findProduct(domain: string, name: string): Promise<Product | null> {
  const row = await db().product.findUnique({ where: { domain_name: { domain, name } }, include: withCount });
  return row ? toProduct(row) : null;
}

/** Only the id of a product, without counting its records (the hot path of queries). */
export async function getProductId(domain: string, name: string): Promise<string> {
  const row = await db().product.findUnique({ where: { domain_name: { domain, name } }, select: { id: true } });
  if (!row) throw notFound(domain, name);
  return row.id;
}

/** The id and visibility of a product, without counting its records: what the access rules need. */
export async function getAccessTarget(domain: string, name: string): Promise<AccessTarget & ProductRef> {
  const row = await db().product.findUnique({ where: { domain_name: { domain, name } }, select: { id: true, visibility: true } });
  if (!row) throw notFound(domain, name);
  return { id: row.id, domain, name, visibility: row.visibility };
}

export async function getProduct(domain: string, name: string): Promise<Product> {
  const product = await findProduct(domain, name);
  if (!product) throw notFound(domain, name);
  return product;
}

/** Prisma's `contains` becomes LIKE without escaping: make % and _ in user terms literal. */
const escapeLike = (term: string) => term.replace(/[\\%_]/g, "\\$&");

function whereOf(filters: Omit<ProductFilters, "limit" | "offset">): Prisma.ProductWhereInput {
  return {
    ...(filters.domain ? { domain: filters.domain } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.tag ? { tags: { has: filters.tag } } : {}),
    ...(filters.health === "unknown"
      ? { OR: [{ health: null }, { health: { status: "unknown" } }] }
      : filters.health
        ? { health: { status: filters.health } }
        : {}),
    AND: searchTerms(filters.q).map((term) => ({ searchText: { contains: escapeLike(term) } })),
  };
}

export async function queryProducts(filters: ProductFilters): Promise<{ products: Product[]; total: number }> {
  const where = whereOf(filters);
  // Two plain reads, not a transaction: under load a transaction must wait for a free connection
  // (and fails after Prisma's maxWait), where a read just waits its turn.
  const [rows, total] = await Promise.all([
    db().product.findMany({
      where,
      include: withCount,
      // Deprecated products last, then most recently changed first.
      orderBy: [{ status: "asc" }, { updatedAt: "desc" }, { domain: "asc" }, { name: "asc" }],
      take: filters.limit,
      skip: filters.offset,
    }),
    db().product.count({ where }),
  ]);
  return { products: rows.map(toProduct), total };
}

/** Distinct domains and tags, for the catalog's filters. */
export async function productFacets(): Promise<{ domains: string[]; tags: string[] }> {
  const rows = await db().product.findMany({ select: { domain: true, tags: true } });
  const domains = [...new Set(rows.map((row) => row.domain))].sort();
  const tags = [...new Set(rows.flatMap((row) => row.tags))].sort();
  return { domains, tags };
}

/**
 * Applies `merge` to the stored product inside one transaction, so concurrent
 * edits do not overwrite each other's fields with stale values; `after` runs
 * in that transaction with the product before and after.
 */
/** Naming another event-time field rewrites the event time of each of the product's records: longer than Prisma's default 5 s at 100k records. */
const EDIT_TRANSACTION = { maxWait: 30_000, timeout: 5 * 60_000 };

export async function updateProduct(
  domain: string,
  name: string,
  merge: (current: Product) => ProductInput,
  by: AuditActor,
  after?: (tx: Prisma.TransactionClient, before: Product, updated: Product) => Promise<unknown>,
): Promise<Product> {
  return db().$transaction(async (tx) => {
    const row = await tx.product.findUnique({ where: { domain_name: { domain, name } }, include: withCount });
    if (!row) throw notFound(domain, name);
    const next = merge(toProduct(row));
    const data: ProductUpdate & { searchText: string } = {
      title: next.title,
      description: next.description,
      owner: next.owner,
      tags: next.tags,
      status: next.status,
      visibility: next.visibility,
      version: next.version,
      schema: next.schema,
      sla: next.sla,
      quality: next.quality,
      searchText: buildSearchText(next),
    };
    const current = toProduct(row);
    const updated = toProduct(await tx.product.update({ where: { id: row.id }, data, include: withCount }));
    await indexMetadataLexically(tx, row.id);
    if (current.sla.eventTimeField !== updated.sla.eventTimeField) await setEventTimes(tx, row.id, updated.sla.eventTimeField ?? null);
    const changes = diffFields(current, updated, EDITABLE_FIELDS);
    await writeAudit(tx, by, { action: updateAction(changes), domain, name, changes });
    if (!sameSchema(current.schema, updated.schema)) {
      await writeSchemaVersion(tx, by, { productId: row.id, productVersion: updated.version, schema: updated.schema, previous: current.schema });
    }
    await after?.(tx, current, updated);
    return updated;
  }, EDIT_TRANSACTION);
}

export async function deleteProduct(domain: string, name: string, by: AuditActor): Promise<void> {
  await db().$transaction(async (tx) => {
    const row = await tx.product.findUnique({ where: { domain_name: { domain, name } }, include: withCount });
    if (!row) throw notFound(domain, name);
    const decision = deletionDecision(row._count.records, row.status as ProductStatus);
    if (!decision.allowed) throw new AppError("conflict", decision.reason);
    try {
      await tx.product.delete({ where: { id: row.id } });
    } catch (error) {
      // Records loaded meanwhile: the foreign key refuses the delete.
      if (prismaCode(error) === "P2003") throw new AppError("conflict", "This product now holds records; deprecate it instead.");
      throw error;
    }
    await writeAudit(tx, by, { action: "product.deleted", domain, name, changes: {} });
  });
}

/** The products with these ids, in the order given (missing ones left out). */
export async function productsByIds(ids: string[]): Promise<Product[]> {
  const rows = await db().product.findMany({ where: { id: { in: ids } }, include: withCount });
  const byId = new Map(rows.map((row) => [row.id, toProduct(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The schema of the product with this id, or null when it is gone. */
export async function productSchemaOf(productId: string): Promise<ProductSchema | null> {
  const row = await db().product.findUnique({ where: { id: productId }, select: { schema: true } });
  return row ? (row.schema as ProductSchema) : null;
}

/** Products without a discovery description vector: registered before discovery existed, or their indexing failed. */
export async function productsMissingDiscovery(): Promise<Product[]> {
  const rows = await db().product.findMany({ where: { vectors: { none: { kind: "description" } } }, include: withCount });
  return rows.map(toProduct);
}
