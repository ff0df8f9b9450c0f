import { countUsers } from "../db/accounts";
import { env } from "../env";
import { createPasswordUser } from "./users";

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
