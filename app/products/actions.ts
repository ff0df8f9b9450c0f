"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { toActionResult } from "@/lib/action-result";
import { requireActor } from "@/lib/auth/guard";
import { editProduct, registerProduct, removeProduct } from "@/lib/products";

/** Server actions of the product forms: the same use cases (and permission checks) as the REST API. */

type Address = { domain: string; name: string };

export async function createProductAction(input: unknown) {
  return toActionResult(async (): Promise<Address> => {
    const actor = await requireActor(await headers());
    const { domain, name } = await registerProduct(actor, input);
    revalidatePath("/products");
    return { domain, name };
  });
}

export async function updateProductAction(domain: string, name: string, patch: unknown) {
  return toActionResult(async (): Promise<Address> => {
    const actor = await requireActor(await headers());
    await editProduct(actor, domain, name, patch);
    revalidatePath("/products");
    revalidatePath(`/products/${domain}/${name}`);
    return { domain, name };
  });
}

export async function deprecateProductAction(domain: string, name: string) {
  return updateProductAction(domain, name, { status: "deprecated" });
}

export async function deleteProductAction(domain: string, name: string) {
  return toActionResult(async () => {
    const actor = await requireActor(await headers());
    await removeProduct(actor, domain, name);
    revalidatePath("/products");
    return { domain, name };
  });
}
