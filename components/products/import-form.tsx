"use client";

import Link from "next/link";
import { useState } from "react";
import { importApiPath, productPath } from "@/lib/paths";
import type { ImportNote, ImportResultView } from "@/lib/validation/contracts";
import { apiErrorOf } from "../api-client";
import { button, card, input, label } from "../ui/styles";

type Outcome = { kind: "checked" | "imported"; result: ImportResultView } | { kind: "refused"; error: string; problems: ImportNote[] };

/** Upload or paste ODPS/ODCS YAML, check the diff (a dry run), then import. */
export function ImportForm({ domains }: { domains: string[] }) {
  const [files, setFiles] = useState<File[]>([]);
  const [text, setText] = useState("");
  const [domain, setDomain] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  async function send(dryRun: boolean) {
    setBusy(true);
    const form = new FormData();
    for (const file of files) form.append("file", file);
    if (text.trim()) form.append("pasted", new Blob([text], { type: "application/yaml" }), "pasted.yaml");
    if (domain) form.append("domain", domain);
    form.append("dryRun", String(dryRun));
    try {
      // Multipart, so not api(): the files go as they are.
      const response = await fetch(importApiPath, { method: "POST", body: form });
      const body: unknown = await response.json().catch(() => undefined);
      if (response.ok) setOutcome({ kind: dryRun ? "checked" : "imported", result: body as ImportResultView });
      else {
        const error = apiErrorOf(response.status, body);
        setOutcome({ kind: "refused", error: error.message, problems: Object.entries(error.fieldErrors).flatMap(([path, messages]) => messages.map((message) => ({ path, message }))) });
      }
    } catch {
      setOutcome({ kind: "refused", error: "The portal could not be reached.", problems: [] });
    } finally {
      setBusy(false);
    }
  }

  const empty = files.length === 0 && !text.trim();
  return (
    <div className="space-y-6">
      <div className={`${card} space-y-5 p-5`}>
        <div>
          <label htmlFor="import-files" className={label}>
            YAML files
          </label>
          <input
            id="import-files"
            type="file"
            multiple
            accept=".yaml,.yml,application/yaml,text/yaml"
            onChange={(event) => {
              setFiles([...(event.target.files ?? [])]);
              setOutcome(undefined);
            }}
            className="mt-1 block text-sm"
          />
        </div>
        <div>
          <label htmlFor="import-text" className={label}>
            Or paste YAML
          </label>
          <textarea
            id="import-text"
            rows={10}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setOutcome(undefined);
            }}
            className={`${input} mt-1 font-mono text-xs`}
            placeholder={"apiVersion: v3.1.0\nkind: DataContract\n…"}
          />
        </div>
        <div className="max-w-xs">
          <label htmlFor="import-domain" className={label}>
            Domain
          </label>
          <select id="import-domain" value={domain} onChange={(event) => setDomain(event.target.value)} className={`${input} mt-1`}>
            <option value="">The document&apos;s domain</option>
            {domains.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="flex gap-3">
          <button type="button" className={button.secondary} disabled={busy || empty} onClick={() => send(true)}>
            {busy ? "Working…" : "Check"}
          </button>
          <button type="button" className={button.primary} disabled={busy || empty || outcome?.kind !== "checked" || outcome.result.conflicts.length > 0} onClick={() => send(false)}>
            Import
          </button>
        </div>
      </div>
      {outcome ? <OutcomeView outcome={outcome} /> : null}
    </div>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === "refused") {
    return (
      <section role="alert" aria-label="Import refused" className="space-y-2 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
        <p className="font-medium">Nothing was stored. {outcome.problems.length ? "Fix these and check again:" : outcome.error}</p>
        <Problems items={outcome.problems} />
      </section>
    );
  }
  const { result } = outcome;
  const address = `${result.domain}/${result.name}`;
  return (
    <section aria-label={outcome.kind === "checked" ? "Import check" : "Import result"} className={`${card} space-y-4 p-5 text-sm`}>
      <p className="font-medium">
        {outcome.kind === "imported" ? (
          <>
            {result.action === "create" ? "Registered" : result.action === "update" ? "Updated" : "Unchanged:"}{" "}
            <Link href={productPath(result)} className="font-mono text-indigo-600 hover:underline dark:text-indigo-400">
              {address}
            </Link>
          </>
        ) : result.action === "unchanged" ? (
          <>{address} already matches these documents.</>
        ) : (
          <>
            Import would {result.action === "create" ? "register" : "update"} <span className="font-mono">{address}</span>:
          </>
        )}
      </p>
      {result.conflicts.length ? (
        <div role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
          {result.conflicts.map((conflict) => (
            <p key={conflict}>{conflict}</p>
          ))}
        </div>
      ) : null}
      {result.changes.length ? (
        <table className="w-full text-left">
          <thead className="text-xs uppercase tracking-wide text-zinc-500">
            <tr>
              <th className="py-1 pr-3">Field</th>
              <th className="py-1 pr-3">Now</th>
              <th className="py-1">After the import</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-800">
            {result.changes.map((change) => (
              <tr key={change.field}>
                <td className="py-1.5 pr-3 font-mono">{change.field}</td>
                <td className="py-1.5 pr-3 text-zinc-500">{show(change.from)}</td>
                <td className="py-1.5">{change.field === "schema" ? `${(change.to as { fields: unknown[] }).fields.length} fields` : show(change.to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result.schemaChanges.length ? (
        <ul aria-label="Schema changes" className="space-y-1">
          {result.schemaChanges.map((change) => (
            <li key={change.message} className={change.breaking ? "text-red-700 dark:text-red-300" : "text-emerald-700 dark:text-emerald-300"}>
              {change.breaking ? "Breaking: " : ""}
              {change.message}
            </li>
          ))}
        </ul>
      ) : null}
      {result.notes.length ? (
        <div>
          <p className="font-medium">Adjusted or not represented in the portal</p>
          <Problems items={result.notes} />
        </div>
      ) : null}
    </section>
  );
}

function Problems({ items }: { items: ImportNote[] }) {
  return (
    <ul className="space-y-0.5">
      {items.map((item) => (
        <li key={`${item.path}:${item.message}`}>
          <code className="font-mono text-xs">{item.path}</code>: {item.message}
        </li>
      ))}
    </ul>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 80)}…` : value;
  if (Array.isArray(value)) return value.join(", ") || "—";
  if (typeof value === "object" && "fields" in value) return `${(value as { fields: unknown[] }).fields.length} fields`;
  return JSON.stringify(value);
}
