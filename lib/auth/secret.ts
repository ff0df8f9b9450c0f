import path from "node:path";
import { ensureSecretFile } from "../secret-file";

/**
 * The signing secret of sessions for installations that do not set
 * BETTER_AUTH_SECRET. Apart from lib/auth/bootstrap.ts (which loads the auth
 * and database modules) so that the launcher reads it before starting Next.js
 * without loading them.
 */

export const SECRET_FILE = "auth-secret";

/** The secret kept in `dataDir`, created (random, readable by this user only) on first use. */
export function ensureAuthSecret(dataDir: string): string {
  return ensureSecretFile(path.join(path.resolve(dataDir), SECRET_FILE));
}
