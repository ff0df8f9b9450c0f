// lib/cli: the command-line client of `npm run load`.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { CONTENT_TYPES, formatOfFileName } from "../ingest/rows";
import type { LoadReport } from "../services/records";
import { UsageError } from "./run";

/** `npm run load`: streams a records file to a product's records API. */

export const USAGE = `Usage: npm run load -- <domain>/<name> <file> [--url http://localhost:3000]

Streams <file> (.csv, .json with an array, .ndjson or .jsonl) to
POST <url>/api/products/<domain>/<name>/records and prints the report.
Sends MESH_API_KEY, when set, as a Bearer token.`;

export interface LoadArgs {
  domain: string;
  name: string;
  file: string;
  url: string;
  contentType: string;
}

export { UsageError };

export function parseLoadArgs(argv: string[]): LoadArgs {
  const positional: string[] = [];
  let url = "http://localhost:3000";
  for (let at = 0; at < argv.length; at++) {
    const arg = argv[at]!;
    if (arg === "--url") {
      const value = argv[++at];
      if (!value) throw new UsageError("--url needs a value");
      url = value;
    } else if (arg.startsWith("--url=")) {
      url = arg.slice("--url=".length);
    } else if (arg.startsWith("-")) {
      throw new UsageError(`Unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 2) throw new UsageError("Give the product as <domain>/<name> and one file");
  const [product, file] = positional as [string, string];
  const match = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(product);
  if (!match) throw new UsageError(`The product must be <domain>/<name>, e.g. sales/orders (got ${product})`);
  if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be an http(s) URL (got ${url})`);
  const format = formatOfFileName(file);
  if (!format) throw new UsageError(`Cannot tell the format of ${file}: name it .csv, .json, .ndjson or .jsonl`);
  return { domain: match[1]!, name: match[2]!, file, url: url.replace(/\/+$/, ""), contentType: CONTENT_TYPES[format] };
}

export type LoadOutcome = { ok: true; report: LoadReport } | { ok: false; status: number; message: string };

/** Sends the file as a stream: memory stays flat whatever its size. */
export async function sendFile(args: LoadArgs, apiKey: string | undefined): Promise<LoadOutcome> {
  await stat(args.file);
  const response = await fetch(`${args.url}/api/products/${args.domain}/${args.name}/records`, {
    method: "POST",
    headers: { "content-type": args.contentType, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: Readable.toWeb(createReadStream(args.file)) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
  const text = await response.text();
  const body = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  })();
  if (response.ok && body && typeof body === "object" && "accepted" in body) return { ok: true, report: body as LoadReport };
  const message =
    body && typeof body === "object" && "error" in body ? String(body.error) : text.trim().slice(0, 200) || response.statusText;
  return { ok: false, status: response.status, message };
}

export const SHOWN_REJECTIONS = 10;

export function formatReport(args: LoadArgs, report: LoadReport): string {
  const lines = [
    `${path.basename(args.file)} → ${args.domain}/${args.name}: ${report.accepted} accepted, ${report.rejectedTotal} rejected`,
  ];
  const shown = report.rejected.slice(0, SHOWN_REJECTIONS);
  if (shown.length > 0) {
    lines.push(shown.length < report.rejectedTotal ? `First ${shown.length} rejected rows:` : "Rejected rows:");
    for (const rejection of shown) {
      const row = `  row ${rejection.index}${rejection.key === undefined ? "" : ` (key ${rejection.key})`}`;
      for (const error of rejection.errors) lines.push(`${row}: ${error.field}: ${error.message}`);
    }
  }
  // A server before this report field sends none.
  for (const group of report.repeated ?? []) {
    lines.push(`  ${group.message}: ${group.errors.map((error) => `${error.field}: ${error.message}`).join("; ")}`);
  }
  return lines.join("\n");
}
