import { createApiKey } from "../auth/api-keys";
import { DEMO_ACCOUNTS } from "../auth/demo";
import { requireAdmin, requireRead, type Actor } from "../auth/guard";
import { createPasswordUser } from "../auth/users";
import {
  addDomainOwner,
  deleteApiKey,
  domainNames,
  findActorByEmail,
  insertDomain,
  listApiKeys,
  listDomains,
  listUsers,
  removeDomainOwner,
  setUserRole,
  type ApiKeySummary,
  type DomainSummary,
  type UserSummary,
} from "../db/accounts";
import { env } from "../env";
import { AppError } from "../errors";
import { canChangeRole, writableDomains } from "../mesh/permissions";
import type { ApiKeyInput, DomainInput, OwnerInput, RoleInput, UserInput } from "../validation/accounts";

/**
 * Use cases of accounts: domains and their owners and users (admins only),
 * and each user's own API keys. Shared by the REST API, the server actions
 * and the pages.
 */

export type { ApiKeySummary, DomainSummary, UserSummary };

export function registerDomain(actor: Actor, input: DomainInput) {
  requireAdmin(actor);
  return insertDomain(input);
}

export function domains(reader: Actor | null): Promise<DomainSummary[]> {
  requireRead(reader);
  return listDomains();
}

/** The domains whose products the actor may register and change, for the registration form. */
export async function writableDomainNames(actor: Actor): Promise<string[]> {
  return writableDomains(actor, await domainNames());
}

export function addOwner(actor: Actor, domain: string, input: OwnerInput) {
  requireAdmin(actor);
  return addDomainOwner(domain, input.email);
}

export function removeOwner(actor: Actor, domain: string, userId: string) {
  requireAdmin(actor);
  return removeDomainOwner(domain, userId);
}

export function users(actor: Actor) {
  requireAdmin(actor);
  return listUsers();
}

export function addUser(actor: Actor, input: UserInput) {
  requireAdmin(actor);
  return createPasswordUser(input);
}

export function changeRole(actor: Actor, userId: string, { role }: RoleInput) {
  requireAdmin(actor);
  if (!canChangeRole(actor, userId, role)) throw new AppError("forbidden", "You cannot take away your own admin role");
  return setUserRole(userId, role);
}

export function issueApiKey(actor: Actor, input: ApiKeyInput) {
  return createApiKey(actor.id, input.name);
}

export function apiKeys(actor: Actor) {
  return listApiKeys(actor.id);
}

export function revokeApiKey(actor: Actor, id: string) {
  return deleteApiKey(actor.id, id);
}

/** Whether the demo accounts exist (the sign-in page lists them then). */
export async function demoAccountsSeeded(): Promise<boolean> {
  return env().DEMO_DATA && (await findActorByEmail(DEMO_ACCOUNTS[0]!.email)) !== null;
}
