import { auth } from "./auth";

/** Issues an API key for `userId` through better-auth; only its hash is stored, the key is returned once. */
export async function createApiKey(userId: string, name: string): Promise<{ id: string; key: string }> {
  const created = await auth().api.createApiKey({ body: { name, userId } });
  return { id: created.id, key: created.key };
}
