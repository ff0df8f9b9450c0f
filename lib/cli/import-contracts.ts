import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ImportResultView } from "../validation/contracts";
import { UsageError } from "./run";

/** `npm run import`: sends ODPS/ODCS YAML files to POST /api/products/import. */

export const USAGE = `Usage: npm run import -- <file.yaml> [<file.yaml>] [--dry-run] [--domain <domain>] [--url http://localhost:3000]

Imports an ODPS (kind: DataProduct) and/or an ODCS (kind: DataContract) document
as one data product, created or updated. --dry-run prints what would change and
stores nothing. Errors name the YAML path. Sends MESH_API_KEY, when set, as a Bearer token.`;

export interface ImportArgs {
  files: string[];
  dryRun: boolean;
  domain?: string;
  url: string;
}

export function parseImportArgs(argv: string[]): ImportArgs {
  const args: ImportArgs = { files: [], dryRun: false, url: "http://localhost:3000" };
  for (let at = 0; at < argv.length; at++) {
    const arg = argv[at]!;
    const value = () => {
      const next = argv[++at];
      if (!next) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--dry-run") args.dryRun = true;
    else if (arg === "--domain") args.domain = value();
    else if (arg === "--url") args.url = value();
    else if (arg.startsWith("-")) throw new UsageError(`Unknown option ${arg}`);
    else args.files.push(arg);
  }
  if (args.files.length < 1 || args.files.length > 2) throw new UsageError("Give one or two YAML files (an ODPS and/or an ODCS document)");
  if (!/^https?:\/\/[^/]+/.test(args.url)) throw new UsageError(`--url must be an http(s) URL (got ${args.url})`);
  args.url = args.url.replace(/\/+$/, "");
  return args;
}

export type ImportOutcome = { ok: true; result: ImportResultView } | { ok: false; status: number; message: string; fieldErrors: Record<string, string[]> };

export async function sendImport(args: ImportArgs, apiKey: string | undefined): Promise<ImportOutcome> {
  const form = new FormData();
  for (const file of args.files) form.append("file", new Blob([await readFile(file)], { type: "application/yaml" }), path.basename(file));
  const query = new URLSearchParams({ dryRun: String(args.dryRun), ...(args.domain ? { domain: args.domain } : {}) });
  const response = await fetch(`${args.url}/api/products/import?${query}`, { method: "POST", headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, body: form });
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (response.ok && body) return { ok: true, result: body as ImportResultView };
  return {
    ok: false,
    status: response.status,
    message: typeof body?.error === "string" ? body.error : text.trim().slice(0, 200) || response.statusText,
    fieldErrors: (body?.fieldErrors as Record<string, string[]> | undefined) ?? {},
  };
}

export function formatImport(result: ImportResultView): string {
  const address = `${result.domain}/${result.name}`;
  const verb = result.action === "unchanged" ? "unchanged" : result.dryRun ? `would ${result.action}` : result.action === "create" ? "created" : "updated";
  const lines = [`${address}: ${verb}`];
  for (const change of result.changes) lines.push(`  ${change.field}${change.field === "schema" ? "" : `: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`}`);
  for (const change of result.schemaChanges) lines.push(`  ${change.breaking ? "BREAKING " : ""}${change.message}`);
  for (const conflict of result.conflicts) lines.push(`Refused: ${conflict}`);
  if (result.notes.length) lines.push("Notes:", ...result.notes.map((note) => `  ${note.path}: ${note.message}`));
  return lines.join("\n");
}

export function formatFailure(outcome: Extract<ImportOutcome, { ok: false }>): string {
  const paths = Object.entries(outcome.fieldErrors).flatMap(([field, messages]) => messages.map((message) => `  ${field}: ${message}`));
  return paths.length ? [`Import refused (HTTP ${outcome.status}); nothing was stored:`, ...paths].join("\n") : `Import failed: HTTP ${outcome.status}: ${outcome.message}`;
}
