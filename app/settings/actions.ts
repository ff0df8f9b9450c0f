"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { issueApiKey, revokeApiKey } from "@/lib/accounts";
import { toActionResult } from "@/lib/action-result";
import { requireActor } from "@/lib/auth/guard";

/** The settings page's API keys: the same use cases as POST /api/keys and DELETE /api/keys/{id}. */

export async function createApiKeyAction(input: unknown) {
  return toActionResult(async () => {
    const created = await issueApiKey(await requireActor(await headers()), input);
    revalidatePath("/settings");
    return created;
  });
}

export async function revokeApiKeyAction(id: string) {
  return toActionResult(async () => {
    await revokeApiKey(await requireActor(await headers()), id);
    revalidatePath("/settings");
    return { id };
  });
}
