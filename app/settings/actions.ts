"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { toActionResult } from "@/lib/action-result";
import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { SETTINGS_PATH } from "@/lib/paths";
import { issueApiKey, revokeApiKey } from "@/lib/services/accounts";
import { apiKeyInputSchema } from "@/lib/validation/accounts";

/** The settings page's API keys: the same use cases as POST /api/keys and DELETE /api/keys/{id}. */

export async function createApiKeyAction(input: unknown) {
  return toActionResult(async () => {
    const created = await issueApiKey(await requireActor(await headers()), parseOrThrow(apiKeyInputSchema, input));
    revalidatePath(SETTINGS_PATH);
    return created;
  });
}

export async function revokeApiKeyAction(id: string) {
  return toActionResult(async () => {
    await revokeApiKey(await requireActor(await headers()), id);
    revalidatePath(SETTINGS_PATH);
    return { id };
  });
}
