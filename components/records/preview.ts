import { parse as parseCsv } from "csv-parse/browser/esm/sync";
import { formatOfFileName, jsonArrayRows, ndjsonRows, sniffFormat, type UploadFormat } from "@/lib/ingest/rows";
import { displayValue } from "./format";

/**
 * The preview of an upload: its format and first rows, read from the head of
 * the file only, so that a file of any size previews instantly.
 */

export const PREVIEW_BYTES = 64 * 1024;
export const PREVIEW_ROWS = 5;

export type PreviewRow = { index: number; cells: Record<string, string> } | { index: number; problem: string };
export interface Preview {
  format: UploadFormat;
  columns: string[];
  rows: PreviewRow[];
  /** Why the head of the file could not be read; the server will say more. */
  problem?: string;
}

export async function previewFile(file: Blob & { name: string }): Promise<Preview> {
  const head = new Uint8Array(await file.slice(0, PREVIEW_BYTES).arrayBuffer());
  const truncated = file.size > PREVIEW_BYTES;
  const text = new TextDecoder().decode(head);
  const format = formatOfFileName(file.name) ?? sniffFormat(text);
  try {
    return format === "csv" ? csvPreview(text, truncated) : await jsonPreview(head, format);
  } catch (error) {
    return { format, columns: [], rows: [], problem: (error as Error).message };
  }
}

function csvPreview(text: string, truncated: boolean): Preview {
  // The slice may end inside a line: keep whole lines only.
  const whole = truncated ? text.slice(0, text.lastIndexOf("\n") + 1) : text;
  const [header = [], ...lines] = parseCsv(whole, { bom: true, skip_empty_lines: true, to: PREVIEW_ROWS + 1 });
  return {
    format: "csv",
    columns: header,
    rows: lines.map((line, index) => ({ index, cells: Object.fromEntries(header.map((column, at) => [column, line[at] ?? ""])) })),
  };
}

async function jsonPreview(head: Uint8Array, format: "json" | "ndjson"): Promise<Preview> {
  async function* body() {
    yield head;
  }
  const rows: PreviewRow[] = [];
  const columns = new Set<string>();
  for await (const row of format === "json" ? jsonArrayRows(body()) : ndjsonRows(body())) {
    if ("error" in row) {
      rows.push({ index: row.index, problem: row.error });
    } else if (typeof row.value === "object" && row.value !== null && !Array.isArray(row.value)) {
      const entries = Object.entries(row.value);
      for (const [column] of entries) columns.add(column);
      rows.push({ index: row.index, cells: Object.fromEntries(entries.map(([column, value]) => [column, displayValue(value)])) });
    } else {
      rows.push({ index: row.index, problem: `not an object of fields: ${displayValue(row.value)}` });
    }
    if (rows.length === PREVIEW_ROWS) break;
  }
  return { format, columns: [...columns], rows };
}
