import "server-only";
import { AppError } from "../errors";
import type { UserRole } from "../mesh/permissions";
import { db } from "./client";

/** Users, domains, domain owners and API keys. Driver errors become AppErrors here. */

/** A signed-in user as the permission rules see them. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  /** Names of the domains the user owns. */
  domains: string[];
}

export interface UserSummary extends Actor {
  createdAt: string;
}

export interface DomainSummary {
  name: string;
  description: string;
  owners: { id: string; email: string; name: string }[];
  productCount: number;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it. */
  start: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

const withDomains = { ownedDomains: { select: { domain: true }, orderBy: { domain: "asc" } } } as const;

function prismaCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

function toActor(row: { id: string; email: string; name: string; role: UserRole; ownedDomains: { domain: string }[] }): Actor {
  return { id: row.id, email: row.email, name: row.name, role: row.role, domains: row.ownedDomains.map((owned) => owned.domain) };
}

export async function findActor(userId: string): Promise<Actor | null> {
  const row = await db().user.findUnique({ where: { id: userId }, include: withDomains });
  return row ? toActor(row) : null;
}

export async function findActorByEmail(email: string): Promise<Actor | null> {
  const row = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, include: withDomains });
  return row ? toActor(row) : null;
}

export function countUsers(): Promise<number> {
  return db().user.count();
}

export async function listUsers(): Promise<UserSummary[]> {
  const rows = await db().user.findMany({ include: withDomains, orderBy: { email: "asc" } });
  return rows.map((row) => ({ ...toActor(row), createdAt: row.createdAt.toISOString() }));
}

export async function setUserRole(userId: string, role: UserRole): Promise<void> {
  try {
    await db().user.update({ where: { id: userId }, data: { role } });
  } catch (error) {
    if (prismaCode(error) === "P2025") throw new AppError("not_found", "No such user");
    throw error;
  }
}

export async function listDomains(): Promise<DomainSummary[]> {
  const rows = await db().domain.findMany({
    include: {
      owners: { include: { user: { select: { id: true, email: true, name: true } } }, orderBy: { createdAt: "asc" } },
      _count: { select: { products: true } },
    },
    orderBy: { name: "asc" },
  });
  return rows.map((row) => ({
    name: row.name,
    description: row.description,
    owners: row.owners.map((owner) => owner.user),
    productCount: row._count.products,
  }));
}

export async function domainNames(): Promise<string[]> {
  const rows = await db().domain.findMany({ select: { name: true }, orderBy: { name: "asc" } });
  return rows.map((row) => row.name);
}

export async function insertDomain(input: { name: string; description: string }): Promise<DomainSummary> {
  try {
    await db().domain.create({ data: input });
  } catch (error) {
    if (prismaCode(error) === "P2002") {
      throw new AppError("conflict", `A domain ${input.name} already exists`, { name: [`${input.name} is already registered`] });
    }
    throw error;
  }
  return { ...input, owners: [], productCount: 0 };
}

/** Makes the user with `email` an owner of `domain` (again: no change). */
export async function addDomainOwner(domain: string, email: string): Promise<void> {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  if (!user) throw new AppError("not_found", `No user with the email ${email}`, { email: ["No user has this email; add the user first"] });
  try {
    await db().domainOwner.upsert({
      where: { domain_userId: { domain, userId: user.id } },
      create: { domain, userId: user.id },
      update: {},
    });
  } catch (error) {
    if (prismaCode(error) === "P2003") throw new AppError("not_found", `No domain ${domain}`);
    throw error;
  }
}

export async function removeDomainOwner(domain: string, userId: string): Promise<void> {
  await db().domainOwner.deleteMany({ where: { domain, userId } });
}

export async function listApiKeys(userId: string): Promise<ApiKeySummary[]> {
  const rows = await db().apiKey.findMany({ where: { referenceId: userId }, orderBy: { createdAt: "desc" } });
  return rows.map((row) => ({
    id: row.id,
    name: row.name ?? "",
    start: row.start,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastRequest?.toISOString() ?? null,
  }));
}

/** Revokes one of the user's keys; another user's key is as unknown as a missing one (404). */
export async function deleteApiKey(userId: string, id: string): Promise<void> {
  const { count } = await db().apiKey.deleteMany({ where: { id, referenceId: userId } });
  if (count === 0) throw new AppError("not_found", "No such API key");
}
