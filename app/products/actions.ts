"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { toActionResult } from "@/lib/action-result";
import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { CATALOG_PATH, productPath, type ProductRef } from "@/lib/paths";
import { editProduct, registerProduct, removeProduct } from "@/lib/services/products";
import { productInputSchema, productUpdateSchema } from "@/lib/validation/product";

/** Server actions of the product forms: the same use cases (and permission checks) as the REST API. */

export async function createProductAction(input: unknown) {
  return toActionResult(async (): Promise<ProductRef> => {
    const actor = await requireActor(await headers());
    const { domain, name } = await registerProduct(actor, parseOrThrow(productInputSchema, input));
    revalidatePath(CATALOG_PATH);
    return { domain, name };
  });
}

export async function updateProductAction(domain: string, name: string, patch: unknown) {
  return toActionResult(async (): Promise<ProductRef> => {
    const actor = await requireActor(await headers());
    await editProduct(actor, { domain, name }, parseOrThrow(productUpdateSchema, patch));
    revalidatePath(CATALOG_PATH);
    revalidatePath(productPath({ domain, name }));
    return { domain, name };
  });
}

export async function deprecateProductAction(domain: string, name: string) {
  return updateProductAction(domain, name, { status: "deprecated" });
}

export async function deleteProductAction(domain: string, name: string) {
  return toActionResult(async () => {
    const actor = await requireActor(await headers());
    await removeProduct(actor, { domain, name });
    revalidatePath(CATALOG_PATH);
    return { domain, name };
  });
}
