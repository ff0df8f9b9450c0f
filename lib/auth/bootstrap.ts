import path from "node:path";
import { countUsers } from "../db/accounts";
import { env } from "../env";
import { ensureSecretFile } from "../secret-file";
import { createPasswordUser } from "./users";

/** First start: the signing secret of the embedded default and the first admin. */

export const SECRET_FILE = "auth-secret";

/**
 * The secret kept in `dataDir`, created (random, readable by this user only)
 * on first use. For installations that do not set BETTER_AUTH_SECRET.
 */
export function ensureAuthSecret(dataDir: string): string {
  return ensureSecretFile(path.join(path.resolve(dataDir), SECRET_FILE));
}

/**
 * Creates the admin from ADMIN_EMAIL and ADMIN_PASSWORD if no user exists yet; returns its email then.
 * Servers sharing a database may start together: the one that loses the race finds the admin created.
 */
export async function ensureFirstAdmin(): Promise<string | undefined> {
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = env();
  if (!ADMIN_EMAIL || !ADMIN_PASSWORD || (await countUsers()) > 0) return undefined;
  try {
    const admin = await createPasswordUser({ email: ADMIN_EMAIL, name: "Admin", password: ADMIN_PASSWORD, role: "admin" });
    return admin.email;
  } catch (error) {
    if ((await countUsers()) > 0) return undefined;
    throw error;
  }
}
