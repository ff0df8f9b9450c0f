import "server-only";
import type { SchemaChange } from "../mesh/schema-versions";
import { classifySchemaChange } from "../mesh/schema-versions";
import type { ProductSchema } from "../validation/product";
import type { AuditActor } from "./audit";
import { db } from "./client";
import type { Prisma } from "./generated/client";

/** Schema versions of products: written with the product change, read by number. */

export interface SchemaVersion {
  number: number;
  productVersion: string;
  schema: ProductSchema;
  /** The changes from the previous version (none for version 1). */
  changes: SchemaChange[];
  breaking: boolean;
  actorEmail: string;
  createdAt: string;
}

type Row = Prisma.SchemaVersionGetPayload<object>;

const toVersion = (row: Row): SchemaVersion => ({
  number: row.number,
  productVersion: row.productVersion,
  schema: row.schema as ProductSchema,
  changes: row.changes as unknown as SchemaChange[],
  breaking: row.breaking,
  actorEmail: row.actorEmail,
  createdAt: row.createdAt.toISOString(),
});

/**
 * Saves `schema` as the product's next schema version, classified against
 * `previous` (null: the first version). Call it in the change's transaction.
 */
export async function writeSchemaVersion(
  tx: Prisma.TransactionClient,
  by: AuditActor,
  version: { productId: string; productVersion: string; schema: ProductSchema; previous: ProductSchema | null },
): Promise<void> {
  const last = await tx.schemaVersion.findFirst({ where: { productId: version.productId }, orderBy: { number: "desc" }, select: { number: true } });
  const summary = version.previous ? classifySchemaChange(version.previous, version.schema) : { breaking: [], compatible: [] };
  const changes = [...summary.breaking, ...summary.compatible];
  await tx.schemaVersion.create({
    data: {
      productId: version.productId,
      number: (last?.number ?? 0) + 1,
      productVersion: version.productVersion,
      schema: version.schema as Prisma.InputJsonValue,
      changes: changes as unknown as Prisma.InputJsonValue,
      breaking: summary.breaking.length > 0,
      actorEmail: by.email,
    },
  });
}

/** The product's schema versions, newest first. */
export async function schemaVersions(productId: string): Promise<SchemaVersion[]> {
  const rows = await db().schemaVersion.findMany({ where: { productId }, orderBy: { number: "desc" } });
  return rows.map(toVersion);
}

export async function schemaVersion(productId: string, number: number): Promise<SchemaVersion | null> {
  const row = await db().schemaVersion.findUnique({ where: { productId_number: { productId, number } } });
  return row ? toVersion(row) : null;
}
