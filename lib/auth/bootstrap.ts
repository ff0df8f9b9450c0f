import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { countUsers } from "../db/accounts";
import { env } from "../env";
import { createPasswordUser } from "./users";

/** First start: the signing secret of the embedded default and the first admin. */

export const SECRET_FILE = "auth-secret";

/**
 * The secret kept in `dataDir`, created (random, readable by this user only)
 * on first use. For installations that do not set BETTER_AUTH_SECRET.
 */
export function ensureAuthSecret(dataDir: string): string {
  const file = path.join(path.resolve(dataDir), SECRET_FILE);
  try {
    writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  chmodSync(file, 0o600);
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret: delete it to have a new one generated`);
  return secret;
}

/** Creates the admin from ADMIN_EMAIL and ADMIN_PASSWORD if no user exists yet; returns its email then. */
export async function ensureFirstAdmin(): Promise<string | undefined> {
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = env();
  if (!ADMIN_EMAIL || !ADMIN_PASSWORD || (await countUsers()) > 0) return undefined;
  const admin = await createPasswordUser({ email: ADMIN_EMAIL, name: "Admin", password: ADMIN_PASSWORD, role: "admin" });
  return admin.email;
}
