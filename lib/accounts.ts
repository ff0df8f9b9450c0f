import { createApiKey } from "./auth/api-keys";
import { requireAdmin, type Actor } from "./auth/guard";
import { createPasswordUser } from "./auth/users";
import {
  addDomainOwner,
  deleteApiKey,
  insertDomain,
  listApiKeys,
  listDomains,
  listUsers,
  removeDomainOwner,
  setUserRole,
} from "./db/accounts";
import { AppError, parseOrThrow } from "./errors";
import { canChangeRole } from "./mesh/permissions";
import { apiKeyInputSchema, domainInputSchema, ownerInputSchema, roleInputSchema, userInputSchema } from "./validation/accounts";

/**
 * Use cases of accounts: domains and their owners and users (admins only),
 * and each user's own API keys. Shared by the REST API and the server actions.
 */

export function registerDomain(actor: Actor, input: unknown) {
  requireAdmin(actor);
  return insertDomain(parseOrThrow(domainInputSchema, input));
}

export { listDomains };

export function addOwner(actor: Actor, domain: string, input: unknown) {
  requireAdmin(actor);
  return addDomainOwner(domain, parseOrThrow(ownerInputSchema, input).email);
}

export function removeOwner(actor: Actor, domain: string, userId: string) {
  requireAdmin(actor);
  return removeDomainOwner(domain, userId);
}

export function users(actor: Actor) {
  requireAdmin(actor);
  return listUsers();
}

export function addUser(actor: Actor, input: unknown) {
  requireAdmin(actor);
  return createPasswordUser(parseOrThrow(userInputSchema, input));
}

export function changeRole(actor: Actor, userId: string, input: unknown) {
  requireAdmin(actor);
  const { role } = parseOrThrow(roleInputSchema, input);
  if (!canChangeRole(actor, userId, role)) throw new AppError("forbidden", "You cannot take away your own admin role");
  return setUserRole(userId, role);
}

export function issueApiKey(actor: Actor, input: unknown) {
  return createApiKey(actor.id, parseOrThrow(apiKeyInputSchema, input).name);
}

export function apiKeys(actor: Actor) {
  return listApiKeys(actor.id);
}

export function revokeApiKey(actor: Actor, id: string) {
  return deleteApiKey(actor.id, id);
}
