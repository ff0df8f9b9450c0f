import { requireRead, type Actor } from "../auth/guard";
import { getProductId } from "../db/products";
import { schemaVersion as findSchemaVersion, schemaVersions as listSchemaVersions, type SchemaVersion } from "../db/schema-versions";
import { AppError } from "../errors";
import type { ProductRef } from "../paths";

/** A product's schema versions: listed and read one by one. */

export type { SchemaVersion };

export async function productSchemaVersions(reader: Actor | null, product: ProductRef): Promise<SchemaVersion[]> {
  requireRead(reader);
  return listSchemaVersions(await getProductId(product.domain, product.name));
}

export async function productSchemaVersion(reader: Actor | null, product: ProductRef, number: number): Promise<SchemaVersion> {
  requireRead(reader);
  const version = await findSchemaVersion(await getProductId(product.domain, product.name), number);
  if (!version) throw new AppError("not_found", `${product.domain}/${product.name} has no schema version ${number}`);
  return version;
}
