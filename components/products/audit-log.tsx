import { sectionTitle, card } from "@/components/ui/styles";
import { describeAudit, type FieldChanges } from "@/lib/mesh/audit";
import type { AuditEntry } from "@/lib/services/products";

/** Who changed this product, when and what: the newest first. */
export function AuditLog({ entries }: { entries: AuditEntry[] }) {
  return (
    <section className="space-y-3" aria-labelledby="audit-title">
      <h2 id="audit-title" className={sectionTitle}>
        Change history
      </h2>
      {entries.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No recorded changes.</p>
      ) : (
        <ol className={`${card} divide-y divide-zinc-200 text-sm dark:divide-zinc-800`}>
          {entries.map((entry) => (
            <li key={entry.id} className="px-4 py-3">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p>
                  <span className="font-medium">{entry.actorEmail}</span>{" "}
                  <span className="text-zinc-600 dark:text-zinc-300">{describeAudit(entry.action, entry.changes)}</span>
                </p>
                <time dateTime={entry.createdAt} className="font-mono text-xs text-zinc-500 dark:text-zinc-400">
                  {entry.createdAt.slice(0, 16).replace("T", " ")} UTC
                </time>
              </div>
              {entry.action !== "product.created" ? <Changes changes={entry.changes} /> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function Changes({ changes }: { changes: FieldChanges }) {
  const fields = Object.entries(changes);
  if (fields.length === 0) return null;
  return (
    <dl className="mt-2 grid gap-1 text-xs">
      {fields.map(([field, { from, to }]) => (
        <div key={field} className="flex min-w-0 gap-2">
          <dt className="shrink-0 font-mono text-zinc-500 dark:text-zinc-400">{field}</dt>
          <dd className="min-w-0 truncate text-zinc-700 dark:text-zinc-300" title={`${show(from)} → ${show(to)}`}>
            <span className="line-through decoration-zinc-400">{show(from)}</span> → {show(to)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
