import { findActorByEmail, type Actor } from "../db/accounts";
import { AppError } from "../errors";
import type { UserRole } from "../mesh/permissions";
import { auth } from "./auth";

/**
 * Creates an email + password account. better-auth hashes the password; public
 * sign-up is off, so accounts come from here (admins, the first start, the
 * demo seed) or from single sign-on.
 */
export async function createPasswordUser(input: { email: string; name: string; password: string; role: UserRole }): Promise<Actor> {
  const email = input.email.trim().toLowerCase();
  if (await findActorByEmail(email)) throw new AppError("conflict", `A user with the email ${email} exists`, { email: ["This email is taken"] });
  const context = await auth().$context;
  const { minPasswordLength, maxPasswordLength } = context.password.config;
  if (input.password.length < minPasswordLength || input.password.length > maxPasswordLength) {
    throw new AppError("validation", "Invalid password", {
      password: [`Use ${minPasswordLength} to ${maxPasswordLength} characters`],
    });
  }
  const user = await context.internalAdapter.createUser(
    { email, name: input.name.trim() || email, role: input.role, emailVerified: true },
    { method: "admin" },
  );
  await context.internalAdapter.linkAccount({
    userId: user.id,
    providerId: "credential",
    accountId: user.id,
    password: await context.password.hash(input.password),
  });
  return { id: user.id, email, name: user.name, role: input.role, domains: [] };
}
