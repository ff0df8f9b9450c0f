"use server";

import { revalidatePath } from "next/cache";
import { toActionResult } from "@/lib/action-result";
import { editProduct, registerProduct, removeProduct } from "@/lib/products";

/** Server actions of the product forms: the same use cases as the REST API. */

type Address = { domain: string; name: string };

export async function createProductAction(input: unknown) {
  return toActionResult(async (): Promise<Address> => {
    const { domain, name } = await registerProduct(input);
    revalidatePath("/products");
    return { domain, name };
  });
}

export async function updateProductAction(domain: string, name: string, patch: unknown) {
  return toActionResult(async (): Promise<Address> => {
    await editProduct(domain, name, patch);
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
    await removeProduct(domain, name);
    revalidatePath("/products");
    return { domain, name };
  });
}
