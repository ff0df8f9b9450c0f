"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { toActionResult } from "@/lib/action-result";
import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { ADMIN_PATH } from "@/lib/paths";
import { addOwner, addUser, changeRole, registerDomain, removeOwner } from "@/lib/services/accounts";
import { domainInputSchema, ownerInputSchema, roleInputSchema, userInputSchema } from "@/lib/validation/accounts";

/** The admin page: domains, their owners and users. Each use case refuses non-admins (403). */

async function done<T>(value: T): Promise<T> {
  revalidatePath(ADMIN_PATH);
  return value;
}

export async function createDomainAction(input: unknown) {
  return toActionResult(async () => done(await registerDomain(await requireActor(await headers()), parseOrThrow(domainInputSchema, input))));
}

export async function addOwnerAction(domain: string, email: string) {
  return toActionResult(async () => done(await addOwner(await requireActor(await headers()), domain, parseOrThrow(ownerInputSchema, { email }))));
}

export async function removeOwnerAction(domain: string, userId: string) {
  return toActionResult(async () => done(await removeOwner(await requireActor(await headers()), domain, userId)));
}

export async function createUserAction(input: unknown) {
  return toActionResult(async () => {
    const { id, email } = await addUser(await requireActor(await headers()), parseOrThrow(userInputSchema, input));
    return done({ id, email });
  });
}

export async function setRoleAction(userId: string, role: string) {
  return toActionResult(async () => done(await changeRole(await requireActor(await headers()), userId, parseOrThrow(roleInputSchema, { role }))));
}
