import { requireRead, type Actor } from "../auth/guard";
import {
  accessRequestsFor,
  decideAccessRequest,
  findAccessRequest,
  findGrant,
  grantedProductIds,
  hasPendingRequest,
  insertAccessRequest,
  logExpiredGrants,
  productAccessRequests,
  productGrants,
  restrictedProducts,
  revokeGrant as revokeStoredGrant,
  type AccessRequestRow,
  type GrantRow,
} from "../db/access";
import { getAccessTarget } from "../db/products";
import { AppError } from "../errors";
import { accessDecisionEvent } from "../mesh/events";
import {
  approvedDays,
  canDecideAccess,
  canReadRecords,
  decisionProblem,
  grantExpiry,
  grantState,
  requestProblem,
  unreadableIds,
  type AccessProblem,
  type AccessTarget,
  type RecordAccess,
} from "../mesh/access";
import { accessPath, type ProductRef } from "../paths";
import type { AccessGrant, AccessRequest, AccessRequestInput, ApproveInput, DenyInput } from "../validation/access";
import { publishEvents } from "./events";

/**
 * Who reads which records, and the access requests and grants that decide it
 * for restricted products. Every read path of records (records API and pages,
 * semantic query, discovery, the federated query, the chat and its answer
 * engine, MCP) asks here, with the reader of the request. The rules are
 * lib/mesh/access.ts; grants are looked up at the moment of the read, so an
 * expired or revoked one counts no more.
 */

export type { RecordAccess };

async function restrictedAndGranted(reader: Actor | null, now: Date) {
  return Promise.all([restrictedProducts(), reader ? grantedProductIds(reader.id, now) : Promise.resolve(new Set<string>())]);
}

/** What `reader` may read of the records now: for the engines that range over many products. */
export async function recordAccess(reader: Actor | null, now = new Date()): Promise<RecordAccess> {
  const [restricted, granted] = await restrictedAndGranted(reader, now);
  const hidden = unreadableIds(reader, restricted, granted);
  return { hidden, readable: (product) => canReadRecords(reader, product, granted) };
}

/** The addresses ("domain/name") of the restricted products whose records `reader` may not read now. */
export async function unreadableAddresses(reader: Actor | null, now = new Date()): Promise<Set<string>> {
  const [restricted, granted] = await restrictedAndGranted(reader, now);
  const hidden = unreadableIds(reader, restricted, granted);
  return new Set(restricted.filter((product) => hidden.has(product.id)).map((product) => `${product.domain}/${product.name}`));
}

/** Whether `reader` reads the records of `product` now (a grant is looked up only for a restricted product). */
export async function canReadProductRecords(reader: Actor | null, product: AccessTarget, now = new Date()): Promise<boolean> {
  requireRead(reader);
  if (product.visibility === "public") return true;
  return canReadRecords(reader, product, reader ? await grantedProductIds(reader.id, now) : new Set());
}

/** 403 naming where to ask for access, unless `reader` reads the records of `product`. */
export async function requireRecordReader(reader: Actor | null, product: AccessTarget & ProductRef): Promise<void> {
  if (await canReadProductRecords(reader, product)) return;
  throw new AppError(
    "forbidden",
    `${product.domain}/${product.name} is restricted: request access on its page (${accessPath(product)}); its domain's owners decide.`,
  );
}

const refuse = (problem: AccessProblem | null) => {
  if (problem) throw new AppError(problem.code, problem.message);
};

function toRequest(row: AccessRequestRow): AccessRequest {
  return {
    id: row.id,
    product: { domain: row.domain, name: row.name, title: row.title },
    requester: row.requester.email,
    purpose: row.purpose,
    days: row.days,
    status: row.status,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    reason: row.reason,
    createdAt: row.createdAt,
    grantId: row.grantId,
  };
}

function toGrant(row: GrantRow, now: Date): AccessGrant {
  return {
    id: row.id,
    user: row.user.email,
    requestId: row.requestId,
    grantedBy: row.grantedBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt.toISOString(),
    state: grantState(row, now),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedBy: row.revokedBy,
  };
}

/** Audit entries of expiries are written before access is shown, so the log is complete whenever it is read. */
const SYSTEM = { id: null, email: "system" };
export const recordExpiries = (now = new Date()) => logExpiredGrants(now, SYSTEM);

/** Asks for access to a restricted product's records: 201 `{ id, status: "pending" }` for the route. */
export async function requestAccess(actor: Actor, ref: ProductRef, input: AccessRequestInput): Promise<AccessRequest> {
  const product = await getAccessTarget(ref.domain, ref.name);
  const [granted, pending] = await Promise.all([grantedProductIds(actor.id, new Date()), hasPendingRequest(product.id, actor.id)]);
  refuse(requestProblem(actor, product, { granted, pending }));
  const row = await insertAccessRequest(
    { productId: product.id, requesterId: actor.id, purpose: input.purpose, days: input.days },
    {
      by: actor,
      action: "access.requested",
      domain: product.domain,
      name: product.name,
      changes: { user: { from: null, to: actor.email }, purpose: { from: null, to: input.purpose }, days: { from: null, to: input.days } },
    },
  );
  return toRequest(row);
}

/** A product's access requests: all of them for its deciders, the caller's own for anyone else. */
export async function listAccessRequests(actor: Actor, ref: ProductRef): Promise<AccessRequest[]> {
  const product = await getAccessTarget(ref.domain, ref.name);
  const rows = await productAccessRequests(product.id, canDecideAccess(actor, product.domain) ? undefined : actor.id);
  return rows.map(toRequest);
}

async function pendingRequest(actor: Actor, ref: ProductRef, id: string) {
  requireDecider(actor, ref);
  const product = await getAccessTarget(ref.domain, ref.name);
  const request = await findAccessRequest(product.id, id);
  if (!request) throw new AppError("not_found", `No access request ${id} for ${ref.domain}/${ref.name}`);
  refuse(decisionProblem(actor, { requesterId: request.requester.id, status: request.status, domain: product.domain }));
  return { product, request };
}

/** Approves a pending request, optionally for fewer days than asked: the requester reads the records until the grant expires. */
export async function approveAccessRequest(actor: Actor, ref: ProductRef, id: string, input: ApproveInput): Promise<AccessRequest> {
  const { product, request } = await pendingRequest(actor, ref, id);
  const days = approvedDays(request.days, input.days);
  if (typeof days !== "number") throw new AppError(days.code, days.message, { days: [days.message] });
  const now = new Date();
  const expiresAt = grantExpiry(now, days);
  const row = await decideAccessRequest(
    id,
    { status: "approved", grant: { userId: request.requester.id, productId: product.id, expiresAt } },
    {
      by: actor,
      action: "access.approved",
      domain: product.domain,
      name: product.name,
      changes: {
        user: { from: null, to: request.requester.email },
        status: { from: "pending", to: "approved" },
        days: { from: request.days, to: days },
        expiresAt: { from: null, to: expiresAt.toISOString() },
      },
    },
  );
  await publishEvents({ ...ref, id: product.id }, [accessDecisionEvent(request.requester, { status: "approved", days, expiresAt }, now)], now);
  return toRequest(row);
}

/** Denies a pending request with a reason the requester sees. */
export async function denyAccessRequest(actor: Actor, ref: ProductRef, id: string, input: DenyInput): Promise<AccessRequest> {
  const { product, request } = await pendingRequest(actor, ref, id);
  const row = await decideAccessRequest(
    id,
    { status: "denied", reason: input.reason },
    {
      by: actor,
      action: "access.denied",
      domain: product.domain,
      name: product.name,
      changes: { user: { from: null, to: request.requester.email }, status: { from: "pending", to: "denied" }, reason: { from: null, to: input.reason } },
    },
  );
  const now = new Date();
  await publishEvents({ ...ref, id: product.id }, [accessDecisionEvent(request.requester, { status: "denied", reason: input.reason }, now)], now);
  return toRequest(row);
}

function requireDecider(actor: Actor, product: ProductRef) {
  if (!canDecideAccess(actor, product.domain)) {
    throw new AppError("forbidden", `Only the owners of the domain ${product.domain} (or an admin) decide access to its products' records`);
  }
}

/** A product's grants, current and past, for its deciders. */
export async function listGrants(actor: Actor, ref: ProductRef): Promise<AccessGrant[]> {
  requireDecider(actor, ref);
  const product = await getAccessTarget(ref.domain, ref.name);
  const now = new Date();
  await recordExpiries(now);
  return (await productGrants(product.id)).map((row) => toGrant(row, now));
}

/** Revokes a grant at once: its holder reads the records no more. */
export async function revokeGrant(actor: Actor, ref: ProductRef, id: string): Promise<void> {
  requireDecider(actor, ref);
  const product = await getAccessTarget(ref.domain, ref.name);
  const grant = await findGrant(product.id, id);
  if (!grant) throw new AppError("not_found", `No grant ${id} for ${ref.domain}/${ref.name}`);
  await revokeStoredGrant(id, {
    by: actor,
    action: "access.revoked",
    domain: product.domain,
    name: product.name,
    changes: { user: { from: null, to: grant.user.email }, grant: { from: grantState(grant, new Date()), to: "revoked" } },
  });
}

/** The Requests view: requests to the products the actor decides (every product for an admin), and the actor's own. */
export async function requestsView(actor: Actor): Promise<{ toDecide: AccessRequest[]; mine: AccessRequest[] }> {
  const rows = await accessRequestsFor({ domains: actor.role === "admin" ? null : actor.domains, requesterId: actor.id });
  const requests = rows.map((row) => ({ row, request: toRequest(row) }));
  return {
    toDecide: requests.filter(({ row }) => row.requester.id !== actor.id && canDecideAccess(actor, row.domain)).map(({ request }) => request),
    mine: requests.filter(({ row }) => row.requester.id === actor.id).map(({ request }) => request),
  };
}

/** What the product page shows of access to a restricted product's records, for its reader. */
export interface AccessView {
  /** Whether the reader reads the records now. */
  canRead: boolean;
  /** Whether the reader decides requests and revokes grants (the domain's owners, admins). */
  canDecide: boolean;
  /** Whether the reader may ask now (signed in, cannot read, nothing pending). */
  canRequest: boolean;
  /** Every request for a decider; the reader's own otherwise (none for a visitor). */
  requests: AccessRequest[];
  /** Every grant for a decider; the reader's own otherwise. */
  grants: AccessGrant[];
}

export async function productAccessView(reader: Actor | null, product: AccessTarget & ProductRef): Promise<AccessView> {
  const canRead = await canReadProductRecords(reader, product);
  if (!reader) return { canRead, canDecide: false, canRequest: false, requests: [], grants: [] };
  const canDecide = canDecideAccess(reader, product.domain);
  const now = new Date();
  if (canDecide) await recordExpiries(now);
  const [requests, grants] = await Promise.all([
    productAccessRequests(product.id, canDecide ? undefined : reader.id),
    productGrants(product.id, canDecide ? undefined : reader.id),
  ]);
  const pending = requests.some((request) => request.requester.id === reader.id && request.status === "pending");
  return {
    canRead,
    canDecide,
    canRequest: product.visibility === "restricted" && !canRead && !pending,
    requests: requests.map(toRequest),
    grants: grants.map((row) => toGrant(row, now)),
  };
}
