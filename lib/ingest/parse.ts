// lib/ingest: streaming readers of record uploads (JSON array, NDJSON, CSV).
import { parse as parseCsv } from "csv-parse";
import { pipeline, Readable } from "node:stream";
import { AppError } from "../errors";
import { displayName } from "../mesh/text";
import {
  decodeText,
  DEFAULT_MAX_RECORD_BYTES,
  jsonArrayRows,
  ndjsonRows,
  tooLargeMessage,
  utf8Length,
  type ByteSource,
  type ReadOptions,
  type Row,
  type UploadFormat,
} from "./rows";

/**
 * Streaming readers for record uploads: a JSON array, NDJSON (one JSON value
 * per line) or CSV with a header row, decoded strictly (UTF-8 unless the
 * Content-Type names a charset). Each yields one row at a time, so a file of
 * any size needs memory for one row, not for the file.
 */

export type { ByteSource, ReadOptions, Row, UploadFormat };

export function formatOf(contentType: string | null): UploadFormat | undefined {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-ndjson" || type === "application/ndjson" || type === "application/jsonl") return "ndjson";
  if (type === "text/csv") return "csv";
  return undefined;
}

export async function* readRows(body: ByteSource, format: UploadFormat, options: ReadOptions = {}): AsyncGenerator<Row> {
  if (format === "csv") yield* csvRows(body, options);
  else if (format === "ndjson") yield* ndjsonRows(body, options);
  else yield* jsonArrayRows(body, options);
}

/** The header's problem, if any: a column named twice would make one of its cells vanish. */
export function headerProblem(columns: string[]): string | undefined {
  const seen = new Map<string, number>();
  for (const [at, column] of columns.entries()) {
    const first = seen.get(column);
    if (first !== undefined) return `The CSV header repeats the column "${displayName(column)}" (columns ${first + 1} and ${at + 1})`;
    seen.set(column, at);
  }
  return undefined;
}

async function* csvRows(body: ByteSource, options: ReadOptions): AsyncGenerator<Row> {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  /** Cells in the header row, seen as the parser reads it (it runs ahead of this loop). */
  let width: number | undefined;
  const parser = parseCsv({
    bom: true,
    skip_empty_lines: true,
    trim: false,
    relax_column_count: false,
    // Past this (characters) the parser stops: a row that large is not one to keep in memory.
    max_record_size: 4 * maxBytes,
    on_record: (cells: string[]) => {
      width ??= cells.length;
      return cells;
    },
  });
  // A decoding error destroys the parser with it, so the loop below sees it.
  pipeline(Readable.from(decodeText(body, options.charset)), parser, () => {});
  let header: string[] | undefined;
  let index = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!header) {
        const problem = headerProblem(cells);
        if (problem) throw new AppError("validation", problem);
        header = cells;
        options.onHeader?.(header);
        continue;
      }
      if (cells.reduce((bytes, cell) => bytes + utf8Length(cell), 0) > maxBytes) {
        yield { index: index++, source: "csv", error: tooLargeMessage(maxBytes) };
        continue;
      }
      const value: Record<string, string> = Object.create(null);
      header.forEach((column, at) => (value[column] = cells[at]!));
      yield { index: index++, source: "csv", value };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The parser runs ahead of the rows consumed here: its report names the file's line.
    const { code, lines, record } = error as { code?: string; lines?: number; record?: unknown[] };
    if (code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" && record) {
      throw new AppError("bad_request", `Malformed CSV: line ${lines} has ${record.length} cells, the header has ${width}`);
    }
    throw new AppError("bad_request", `Malformed CSV: ${(error as Error).message}`);
  } finally {
    parser.destroy();
  }
}
