import { randomBytes, randomUUID } from "node:crypto";
import { createApiKey } from "@/lib/auth/api-keys";
import { createPasswordUser } from "@/lib/auth/users";
import { findActor, type Actor } from "@/lib/db/accounts";
import { db } from "@/lib/db/client";
import type { UserRole } from "@/lib/mesh/permissions";
import { inProcess } from "./databases";

/**
 * Test helpers for integration tests of guarded routes and actions:
 *
 *   const stop = await startTestDatabase();              // in-memory PGlite, migrated, set as db()
 *   const owner = await createTestUser({ owns: ["payments"] });
 *   await POST(new Request(url, { method: "POST", headers: { ...owner.auth, "content-type": "application/json" }, body }));
 */

export interface TestUser {
  actor: Actor;
  password: string;
  /** The user's API key. */
  key: string;
  /** `{ authorization: "Bearer <key>" }`: spread into a request's headers to act as the user. */
  auth: { authorization: string };
}

/** An in-memory PGlite database with the migrations applied, injected with setDb; returns its teardown. */
export const startTestDatabase = () => inProcess.start();

/** Creates a user (and the domains it owns, if new) with an API key. */
export async function createTestUser(options: { role?: UserRole; owns?: string[]; email?: string } = {}): Promise<TestUser> {
  const password = randomBytes(12).toString("base64url");
  const email = options.email ?? `user-${randomUUID().slice(0, 8)}@test.local`;
  const user = await createPasswordUser({ email, name: email.split("@")[0]!, password, role: options.role ?? "member" });
  for (const domain of options.owns ?? []) {
    await db().domain.upsert({ where: { name: domain }, create: { name: domain }, update: {} });
    await db().domainOwner.create({ data: { domain, userId: user.id } });
  }
  const { key } = await createApiKey(user.id, "test");
  return { actor: (await findActor(user.id))!, password, key, auth: { authorization: `Bearer ${key}` } };
}
