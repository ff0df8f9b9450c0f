import "server-only";
import { AppError } from "../errors";
import type { AccessRequestStatus, AccessTarget, GrantState } from "../mesh/access";
import type { AuditAction, FieldChanges } from "../mesh/audit";
import { writeAudit, type AuditActor } from "./audit";
import { db } from "./client";

/**
 * Access requests and grants of restricted products. Every request, decision,
 * revocation and expiry is written to the product's audit log in the same
 * transaction as the change.
 */

export interface AccessRequestRow {
  id: string;
  productId: string;
  domain: string;
  name: string;
  title: string;
  requester: { id: string; email: string };
  purpose: string;
  days: number;
  status: AccessRequestStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  createdAt: string;
  /** The grant an approval made, if any. */
  grantId: string | null;
}

export interface GrantRow {
  id: string;
  productId: string;
  user: { id: string; email: string };
  requestId: string | null;
  grantedBy: string;
  createdAt: string;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** The product and the change an access entry of its audit log describes. */
interface AccessAudit {
  by: AuditActor;
  action: AuditAction;
  domain: string;
  name: string;
  changes: FieldChanges;
}

const requestInclude = {
  product: { select: { domain: true, name: true, title: true } },
  requester: { select: { id: true, email: true } },
  grant: { select: { id: true } },
} as const;

type RequestRecord = {
  id: string;
  productId: string;
  purpose: string;
  days: number;
  status: string;
  decidedByEmail: string | null;
  decidedAt: Date | null;
  reason: string | null;
  createdAt: Date;
  product: { domain: string; name: string; title: string };
  requester: { id: string; email: string };
  grant: { id: string } | null;
};

function toRequest(row: RequestRecord): AccessRequestRow {
  return {
    id: row.id,
    productId: row.productId,
    domain: row.product.domain,
    name: row.product.name,
    title: row.product.title,
    requester: row.requester,
    purpose: row.purpose,
    days: row.days,
    status: row.status as AccessRequestStatus,
    decidedBy: row.decidedByEmail,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    grantId: row.grant?.id ?? null,
  };
}

const grantInclude = { user: { select: { id: true, email: true } } } as const;

function toGrant(row: {
  id: string;
  productId: string;
  requestId: string | null;
  grantedByEmail: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedByEmail: string | null;
  user: { id: string; email: string };
}): GrantRow {
  return {
    id: row.id,
    productId: row.productId,
    user: row.user,
    requestId: row.requestId,
    grantedBy: row.grantedByEmail,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedByEmail,
  };
}

/** The restricted products, as the access rules see them. */
export async function restrictedProducts(): Promise<(AccessTarget & { name: string })[]> {
  return db().product.findMany({ where: { visibility: "restricted" }, select: { id: true, domain: true, name: true, visibility: true } });
}

/** Ids of the products `userId` holds a current grant for at `now`. */
export async function grantedProductIds(userId: string, now: Date): Promise<Set<string>> {
  const rows = await db().accessGrant.findMany({ where: { userId, revokedAt: null, expiresAt: { gt: now } }, select: { productId: true } });
  return new Set(rows.map((row) => row.productId));
}

export async function hasPendingRequest(productId: string, requesterId: string): Promise<boolean> {
  return (await db().accessRequest.count({ where: { productId, requesterId, status: "pending" } })) > 0;
}

export async function insertAccessRequest(
  input: { productId: string; requesterId: string; purpose: string; days: number },
  audit: AccessAudit,
): Promise<AccessRequestRow> {
  return db().$transaction(async (tx) => {
    const row = await tx.accessRequest.create({ data: input, include: requestInclude });
    await writeAudit(tx, audit.by, audit);
    return toRequest(row);
  });
}

/** A product's requests, newest first; only `requesterId`'s when given. */
export async function productAccessRequests(productId: string, requesterId?: string): Promise<AccessRequestRow[]> {
  const rows = await db().accessRequest.findMany({
    where: { productId, ...(requesterId ? { requesterId } : {}) },
    include: requestInclude,
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toRequest);
}

/** Requests across products: those of the products in `domains` (every domain when null) and those `requesterId` made. */
export async function accessRequestsFor({ domains, requesterId }: { domains: string[] | null; requesterId: string }): Promise<AccessRequestRow[]> {
  const rows = await db().accessRequest.findMany({
    where: { OR: [{ requesterId }, domains === null ? {} : { product: { domain: { in: domains } } }] },
    include: requestInclude,
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return rows.map(toRequest);
}

/** Ids are UUIDs: anything else names no row (instead of failing the query). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findAccessRequest(productId: string, id: string): Promise<AccessRequestRow | null> {
  if (!UUID.test(id)) return null;
  const row = await db().accessRequest.findFirst({ where: { id, productId }, include: requestInclude });
  return row ? toRequest(row) : null;
}

/**
 * Decides a pending request: denies it, or approves it and creates the grant.
 * A request decided meanwhile (by another owner) is a 409 and changes nothing.
 */
export async function decideAccessRequest(
  id: string,
  decision: { status: "approved"; grant: { userId: string; productId: string; expiresAt: Date } } | { status: "denied"; reason: string },
  audit: AccessAudit,
): Promise<AccessRequestRow> {
  return db().$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.accessRequest.updateMany({
      where: { id, status: "pending" },
      data: { status: decision.status, decidedByEmail: audit.by.email, decidedAt: now, ...(decision.status === "denied" ? { reason: decision.reason } : {}) },
    });
    if (count === 0) throw new AppError("conflict", "This request was decided meanwhile");
    if (decision.status === "approved") {
      await tx.accessGrant.create({ data: { ...decision.grant, requestId: id, grantedByEmail: audit.by.email } });
    }
    await writeAudit(tx, audit.by, audit);
    return toRequest(await tx.accessRequest.findUniqueOrThrow({ where: { id }, include: requestInclude }));
  });
}

/** A product's grants, newest first; only `userId`'s when given. */
export async function productGrants(productId: string, userId?: string): Promise<GrantRow[]> {
  const rows = await db().accessGrant.findMany({ where: { productId, ...(userId ? { userId } : {}) }, include: grantInclude, orderBy: { createdAt: "desc" } });
  return rows.map(toGrant);
}

export async function findGrant(productId: string, id: string): Promise<GrantRow | null> {
  if (!UUID.test(id)) return null;
  const row = await db().accessGrant.findFirst({ where: { id, productId }, include: grantInclude });
  return row ? toGrant(row) : null;
}

/** Revokes a grant not yet revoked; one revoked meanwhile is a 409. */
export async function revokeGrant(id: string, audit: AccessAudit): Promise<void> {
  await db().$transaction(async (tx) => {
    const { count } = await tx.accessGrant.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(), revokedByEmail: audit.by.email } });
    if (count === 0) throw new AppError("conflict", "This grant was already revoked");
    await writeAudit(tx, audit.by, audit);
  });
}

/**
 * Writes an `access.expired` audit entry for each grant that ended by time
 * at `now` and has none yet (a revoked grant does not expire). Each grant is
 * marked in the entry's transaction, so that concurrent sweeps write one entry.
 */
export async function logExpiredGrants(now: Date, by: AuditActor): Promise<number> {
  const due = await db().accessGrant.findMany({
    where: { expiresAt: { lte: now }, revokedAt: null, expiryLogged: false },
    include: { ...grantInclude, product: { select: { domain: true, name: true } } },
    take: 500,
  });
  let logged = 0;
  for (const grant of due) {
    await db().$transaction(async (tx) => {
      const { count } = await tx.accessGrant.updateMany({ where: { id: grant.id, expiryLogged: false }, data: { expiryLogged: true } });
      if (count === 0) return;
      await writeAudit(tx, by, {
        action: "access.expired",
        domain: grant.product.domain,
        name: grant.product.name,
        changes: { user: { from: null, to: grant.user.email }, grant: { from: "active" satisfies GrantState, to: "expired" satisfies GrantState }, expiresAt: { from: null, to: grant.expiresAt.toISOString() } },
      });
      logged += 1;
    });
  }
  return logged;
}
