/** The audit trail of data products: pure helpers, no framework or database. */

export const AUDIT_ACTIONS = [
  "product.created",
  "product.updated",
  "product.deprecated",
  "product.deleted",
  "capability.enabled",
  "capability.disabled",
  "access.requested",
  "access.approved",
  "access.denied",
  "access.revoked",
  "access.expired",
  "records.purged",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `{ field: { from, to } }` for each field whose value differs. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** JSON with object keys sorted, so that key order does not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** The fields of `after` whose values differ from `before`, among `fields`. */
export function diffFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    if (canonical(before[field]) !== canonical(after[field])) changes[field] = { from: before[field] ?? null, to: after[field] ?? null };
  }
  return changes;
}

/** An update that moves a product to `deprecated` is recorded as a deprecation. */
export function updateAction(changes: FieldChanges): AuditAction {
  return changes.status?.to === "deprecated" ? "product.deprecated" : "product.updated";
}

/** One line for people: "changed title, sla" / "registered" / "deprecated". */
export function describeAudit(action: string, changes: FieldChanges): string {
  const fields = Object.keys(changes);
  switch (action) {
    case "product.created":
      return "registered the product";
    case "product.deleted":
      return "deleted the product";
    case "product.deprecated":
      return fields.length > 1 ? `deprecated the product and changed ${fields.filter((f) => f !== "status").join(", ")}` : "deprecated the product";
    case "product.updated":
      return fields.length ? `changed ${fields.join(", ")}` : "saved without changes";
    case "capability.enabled":
      return `enabled ${fields.join(", ") || "a capability"}`;
    case "capability.disabled":
      return `disabled ${fields.join(", ") || "a capability"}`;
    case "access.requested":
      return `asked for access to the records for ${String(changes.days?.to)} days`;
    case "access.approved":
      return `approved access for ${String(changes.user?.to)} for ${String(changes.days?.to)} days`;
    case "access.denied":
      return `denied access for ${String(changes.user?.to)}`;
    case "access.revoked":
      return `revoked the access of ${String(changes.user?.to)}`;
    case "access.expired":
      return `the access of ${String(changes.user?.to)} expired`;
    case "records.purged":
      return `purged ${String(changes.records?.from)} ${changes.records?.from === 1 ? "record" : "records"} past retention`;
    default:
      return action;
  }
}
