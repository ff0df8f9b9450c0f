import type { SchemaVersionView } from "@/lib/validation/contracts";
import { SchemaTable } from "./schema-table";

/**
 * Every schema the product has had, newest first: each with the changes from
 * the one before (breaking ones marked), and its fields on demand.
 */
export function SchemaVersions({ versions, apiPath }: { versions: SchemaVersionView[]; apiPath: string }) {
  return (
    <ol className="space-y-2">
      {versions.map((version, index) => (
        <li key={version.number}>
          <details className="group rounded-lg border border-zinc-200 px-4 py-2 open:pb-4 dark:border-zinc-800" open={index === 0 && version.number > 1}>
            <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 text-sm">
              <span className="font-medium">Schema version {version.number}</span>
              <span className="font-mono text-xs text-zinc-500">v{version.productVersion}</span>
              {version.number === 1 ? (
                <Badge tone="neutral">first</Badge>
              ) : version.breaking ? (
                <Badge tone="breaking">breaking</Badge>
              ) : (
                <Badge tone="compatible">compatible</Badge>
              )}
              <span className="text-xs text-zinc-500">
                <time dateTime={version.createdAt}>{version.createdAt.slice(0, 10)}</time> · {version.actorEmail}
              </span>
            </summary>
            <div className="mt-3 space-y-3">
              {version.changes.length ? (
                <ul className="space-y-1 text-sm" aria-label={`Changes in schema version ${version.number}`}>
                  {version.changes.map((change) => (
                    <li key={change.message} className="flex gap-2">
                      <span aria-hidden className={change.breaking ? "text-red-600 dark:text-red-400" : "text-emerald-600 dark:text-emerald-400"}>
                        {change.breaking ? "✕" : "+"}
                      </span>
                      <span>
                        {change.message}
                        {change.breaking ? <span className="sr-only"> (breaking)</span> : null}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-zinc-500">{version.number === 1 ? "The schema the product was registered with." : "No field changes."}</p>
              )}
              <SchemaTable schema={version.schema} />
              <p className="text-xs text-zinc-500">
                <code>GET {apiPath}/{version.number}</code>
              </p>
            </div>
          </details>
        </li>
      ))}
    </ol>
  );
}

const TONES = {
  neutral: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
  breaking: "bg-red-50 text-red-700 dark:bg-red-500/10 dark:text-red-300",
  compatible: "bg-emerald-50 text-emerald-700 dark:bg-emerald-500/10 dark:text-emerald-300",
};

function Badge({ tone, children }: { tone: keyof typeof TONES; children: string }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${TONES[tone]}`}>{children}</span>;
}
