import { canWriteProduct, type Principal } from "./permissions";

/**
 * Who reads a product's records, and who decides access requests: pure rules,
 * no framework or database. lib/services/access.ts applies them.
 *
 * - public product: every reader (signed in, or a visitor under PUBLIC_READ)
 *   reads its records.
 * - restricted product: everyone sees its catalog entry (metadata, schema,
 *   owner, SLA), but only its domain's owners, admins and users holding a
 *   current grant read its records.
 * - A signed-in user who cannot read a restricted product asks for access with
 *   a purpose and a number of days; the domain's owners and admins approve
 *   (optionally for fewer days) or deny; nobody decides their own request.
 */

export const VISIBILITIES = ["public", "restricted"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const ACCESS_REQUEST_STATUSES = ["pending", "approved", "denied"] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];

export const MIN_ACCESS_DAYS = 1;
export const MAX_ACCESS_DAYS = 365;
/** The durations the forms offer. */
export const ACCESS_DAY_CHOICES = [7, 30, 90] as const;

/** What the rules need to know of a product. */
export interface AccessTarget {
  id: string;
  domain: string;
  visibility: Visibility;
}

/** What the rules need to know of a grant. */
export interface GrantTerms {
  expiresAt: Date;
  revokedAt: Date | null;
}

export type GrantState = "active" | "expired" | "revoked";

export function grantState(grant: GrantTerms, now: Date): GrantState {
  if (grant.revokedAt) return "revoked";
  return grant.expiresAt.getTime() > now.getTime() ? "active" : "expired";
}

export const isGrantCurrent = (grant: GrantTerms, now: Date) => grantState(grant, now) === "active";

/** When a grant of `days` days given at `from` ends. */
export function grantExpiry(from: Date, days: number): Date {
  return new Date(from.getTime() + days * 24 * 60 * 60 * 1000);
}

/** Reads the product's records: any reader of a public product; owners, admins and grantees of a restricted one. */
export function canReadRecords(principal: Principal | null, product: AccessTarget, grantedProductIds: ReadonlySet<string>): boolean {
  if (product.visibility === "public") return true;
  if (!principal) return false;
  return canWriteProduct(principal, product.domain) || grantedProductIds.has(product.id);
}

/** Approves and denies access requests, sees them all and revokes grants: the domain's owners and admins. */
export function canDecideAccess(principal: Principal, domain: string): boolean {
  return canWriteProduct(principal, domain);
}

/** A refusal the services turn into an error with this code. */
export interface AccessProblem {
  code: "forbidden" | "conflict" | "validation";
  message: string;
}

/** Why `principal` may not ask for access to `product` now, or null. */
export function requestProblem(
  principal: Principal,
  product: AccessTarget,
  state: { granted: ReadonlySet<string>; pending: boolean },
): AccessProblem | null {
  if (product.visibility === "public") return { code: "conflict", message: "This product is public: its records need no access request" };
  if (canReadRecords(principal, product, state.granted)) return { code: "conflict", message: "You can already read this product's records" };
  if (state.pending) return { code: "conflict", message: "You already have a pending request for this product" };
  return null;
}

/** Why `principal` may not decide `request` (approve or deny), or null. */
export function decisionProblem(
  principal: Principal & { id: string },
  request: { requesterId: string; status: AccessRequestStatus; domain: string },
): AccessProblem | null {
  if (!canDecideAccess(principal, request.domain)) {
    return { code: "forbidden", message: `Only the owners of the domain ${request.domain} (or an admin) decide access requests` };
  }
  if (request.requesterId === principal.id) return { code: "forbidden", message: "You cannot decide your own access request" };
  if (request.status !== "pending") return { code: "conflict", message: `This request was already ${request.status}` };
  return null;
}

/** The days an approval grants: the requested ones, or fewer when the approver shortens them; never more. */
export function approvedDays(requested: number, approved: number | undefined): number | AccessProblem {
  if (approved === undefined) return requested;
  if (approved > requested) return { code: "validation", message: `An approval may shorten the ${requested} days asked for, not extend them` };
  return approved;
}

/** The restricted products, out of `restricted`, whose records `principal` may not read. */
export function unreadableIds(principal: Principal | null, restricted: readonly AccessTarget[], granted: ReadonlySet<string>): Set<string> {
  return new Set(restricted.filter((product) => !canReadRecords(principal, product, granted)).map((product) => product.id));
}

/** What a reader without access is told instead of a restricted product's records. */
export const RESTRICTED_REASON = "restricted: request access";

/**
 * What one reader may read of the records, as the engines (discovery, the
 * federated query, the answer engine) receive it from lib/services/access.ts.
 */
export interface RecordAccess {
  /** Whether the reader reads this product's records. */
  readable(product: AccessTarget): boolean;
  /** The restricted products whose records the reader may not read: discovery ranks them by metadata alone. */
  hidden: ReadonlySet<string>;
}

/** Every record readable: for the platform's own scripts (benchmarks), which act for no reader. */
export const UNRESTRICTED: RecordAccess = { readable: () => true, hidden: new Set() };
