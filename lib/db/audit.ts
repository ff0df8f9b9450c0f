import "server-only";
import type { AuditAction, FieldChanges } from "../mesh/audit";
import { db } from "./client";
import type { Prisma } from "./generated/client";

/** The audit log: one entry per change of a product or its capabilities. */

/** Who made a change; `id` is null for the system (the demo seed). */
export interface AuditActor {
  id: string | null;
  email: string;
}

export interface AuditEntry {
  id: string;
  actorEmail: string;
  action: string;
  changes: FieldChanges;
  createdAt: string;
}

/** An audit entry written with a capability change, in its transaction. */
export interface CapabilityAudit {
  actor: AuditActor;
  domain: string;
  name: string;
  changes: FieldChanges;
}

type Tx = Prisma.TransactionClient;

/**
 * Records a change. Pass the transaction client of the change itself, so that
 * the entry is written if and only if the change is.
 */
export async function writeAudit(
  tx: Tx,
  actor: AuditActor,
  entry: { action: AuditAction; domain: string; name: string; changes: FieldChanges },
): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actorId: actor.id,
      actorEmail: actor.email,
      action: entry.action,
      domain: entry.domain,
      name: entry.name,
      changes: entry.changes as Prisma.InputJsonValue,
    },
  });
}

/** The newest entries of one product first. */
export async function productAudit(domain: string, name: string, limit = 50): Promise<AuditEntry[]> {
  const rows = await db().auditEntry.findMany({
    where: { domain, name },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  return rows.map((row) => ({
    id: row.id,
    actorEmail: row.actorEmail,
    action: row.action,
    changes: row.changes as FieldChanges,
    createdAt: row.createdAt.toISOString(),
  }));
}
