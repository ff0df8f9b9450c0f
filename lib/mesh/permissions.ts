/**
 * Who may do what: pure rules, no framework or database. lib/auth/guard.ts
 * applies them to the signed-in user of a request.
 *
 * - admin: manages domains, their owners and users; may change every product.
 * - owner of a domain (a member listed among the domain's owners): creates and
 *   changes that domain's products, their records and capabilities.
 * - analyst (every signed-in user): reads the catalog, products and records,
 *   uses search and chat.
 */

export const USER_ROLES = ["admin", "member"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** What the rules need to know about a user. */
export interface Principal {
  role: UserRole;
  /** Names of the domains the user owns. */
  domains: readonly string[];
}

export function isAdmin(principal: Principal): boolean {
  return principal.role === "admin";
}

/** May create and change the products (and their records and capabilities) of `domain`. */
export function canWriteProduct(principal: Principal, domain: string): boolean {
  return isAdmin(principal) || principal.domains.includes(domain);
}

/** May register products in at least one domain. */
export function canRegisterProducts(principal: Principal): boolean {
  return isAdmin(principal) || principal.domains.length > 0;
}

/** The domains, out of `all`, whose products `principal` may change. */
export function writableDomains(principal: Principal, all: readonly string[]): string[] {
  return all.filter((domain) => canWriteProduct(principal, domain));
}

/** Creates domains, adds and removes their owners, makes users admins. */
export function canManageDomains(principal: Principal): boolean {
  return isAdmin(principal);
}

/** Reads the catalog, products, records, search and chat. */
export function canRead(principal: Principal | null, publicRead: boolean): boolean {
  return principal !== null || publicRead;
}

/** An admin may not take away their own admin role: someone must stay able to manage. */
export function canChangeRole(principal: Principal & { id: string }, targetUserId: string, role: UserRole): boolean {
  return isAdmin(principal) && !(principal.id === targetUserId && role !== "admin");
}
