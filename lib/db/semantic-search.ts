import "server-only";
import { withheldFields } from "../mesh/pii";
import type { ProductSchema } from "../validation/product";
import { writeAudit, type CapabilityAudit } from "./audit";
import { db } from "./client";

/** The semantic_search capability rows. */

export type SemanticSearchRow = NonNullable<Awaited<ReturnType<typeof findSemanticSearch>>>;

export function findSemanticSearch(productId: string) {
  return db().semanticSearch.findUnique({ where: { productId } });
}

/** The capability rows of several products in one read, by product id (none for a product without one). */
export async function findSemanticSearches(productIds: string[]): Promise<Map<string, SemanticSearchRow>> {
  const rows = productIds.length ? await db().semanticSearch.findMany({ where: { productId: { in: productIds } } }) : [];
  return new Map(rows.map((row) => [row.productId, row]));
}

/** Products whose indexing is to do and no server holds (it never started, or its server died): job kind "indexing". */
export async function unclaimedIndexing(): Promise<string[]> {
  const rows = await db().$queryRaw<{ product_id: string }[]>`
    SELECT s.product_id FROM semantic_search s
    WHERE s.status = 'indexing'
      AND NOT EXISTS (SELECT 1 FROM job_leases l WHERE l.kind = 'indexing' AND l.key = s.product_id::text AND l.expires_at > now())`;
  return rows.map((row) => row.product_id);
}

/** Starts (or restarts) indexing with this configuration; bumps the generation. */
export async function configureSemanticSearch(
  productId: string,
  config: { model: string; dimensions: number; fields: string[]; hostedPii?: boolean; total: number },
  audit?: CapabilityAudit,
): Promise<SemanticSearchRow> {
  return db().$transaction(async (tx) => {
    const row = await tx.semanticSearch.upsert({
      where: { productId },
      create: { productId, ...config, status: "indexing", indexed: 0, error: null },
      update: { ...config, status: "indexing", indexed: 0, error: null, generation: { increment: 1 } },
    });
    if (audit) await writeAudit(tx, audit.actor, { action: "capability.enabled", ...audit });
    return row;
  });
}

/** Changes only whether PII may reach hosted models (nothing to re-embed), audited in the same transaction. */
export async function setSemanticSearchHostedPii(productId: string, hostedPii: boolean, audit: CapabilityAudit): Promise<SemanticSearchRow> {
  return db().$transaction(async (tx) => {
    const row = await tx.semanticSearch.update({ where: { productId }, data: { hostedPii } });
    await writeAudit(tx, audit.actor, { action: "capability.enabled", ...audit });
    return row;
  });
}

/** Updates state only if `generation` is still current; returns whether it was. */
export async function updateSemanticSearch(
  productId: string,
  generation: number,
  data: { status?: "indexing" | "ready" | "failed"; indexed?: number; total?: number; error?: string | null; indexedAt?: Date },
): Promise<boolean> {
  const { count } = await db().semanticSearch.updateMany({ where: { productId, generation }, data });
  return count > 0;
}

export async function removeSemanticSearch(productId: string, audit: CapabilityAudit): Promise<void> {
  await db().$transaction(async (tx) => {
    const { count } = await tx.semanticSearch.deleteMany({ where: { productId } });
    if (count > 0) await writeAudit(tx, audit.actor, { action: "capability.disabled", ...audit });
  });
}

/** Every product with whether its semantic search is ready, for choosing what to ask. */
export async function searchableProducts(): Promise<{ address: string; title: string; searchable: boolean }[]> {
  const rows = await db().product.findMany({
    select: { domain: true, name: true, title: true, status: true, semanticSearch: { select: { status: true } } },
    orderBy: [{ status: "asc" }, { title: "asc" }],
  });
  return rows.map((row) => ({ address: `${row.domain}/${row.name}`, title: row.title, searchable: row.semanticSearch?.status === "ready" }));
}

/** Per product ("domain/name"): the fields a hosted model may not get (marked PII, unless its semantic search allows them). */
export async function withheldFromHosted(products: { domain: string; name: string }[]): Promise<Map<string, ReadonlySet<string>>> {
  if (products.length === 0) return new Map();
  const rows = await db().product.findMany({
    where: { OR: products.map(({ domain, name }) => ({ domain, name })) },
    select: { domain: true, name: true, schema: true, semanticSearch: { select: { hostedPii: true } } },
  });
  return new Map(rows.map((row) => [`${row.domain}/${row.name}`, withheldFields(row.schema as ProductSchema, row.semanticSearch?.hostedPii ?? false)]));
}
