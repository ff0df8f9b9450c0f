// lib/ingest: streaming readers of record uploads (JSON array, NDJSON, CSV).
import { parse as parseCsv } from "csv-parse";
import { Readable } from "node:stream";
import { AppError } from "../errors";
import { jsonArrayRows, ndjsonRows, type ByteSource, type Row, type UploadFormat } from "./rows";

/**
 * Streaming readers for record uploads: a JSON array, NDJSON (one JSON value
 * per line) or CSV with a header row. Each yields one row at a time, so a
 * file of any size needs memory for one row, not for the file.
 */

export type { ByteSource, Row, UploadFormat };

export function formatOf(contentType: string | null): UploadFormat | undefined {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-ndjson" || type === "application/ndjson" || type === "application/jsonl") return "ndjson";
  if (type === "text/csv") return "csv";
  return undefined;
}

export async function* readRows(body: ByteSource, format: UploadFormat): AsyncGenerator<Row> {
  if (format === "csv") yield* csvRows(body);
  else if (format === "ndjson") yield* ndjsonRows(body);
  else yield* jsonArrayRows(body);
}

async function* csvRows(body: ByteSource): AsyncGenerator<Row> {
  const parser = Readable.from(body).pipe(
    parseCsv({ columns: true, bom: true, skip_empty_lines: true, trim: false, relax_column_count: false }),
  );
  let index = 0;
  try {
    for await (const record of parser) yield { index: index++, source: "csv", value: record };
  } catch (error) {
    // The parser runs ahead of the rows consumed here: its message names the file's line.
    throw new AppError("bad_request", `Malformed CSV: ${(error as Error).message}`);
  }
}

