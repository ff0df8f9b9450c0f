import { parse as parseCsv } from "csv-parse";
import { Readable } from "node:stream";
import { AppError } from "../errors";
import type { RecordSource } from "../mesh/records";

/**
 * Streaming readers for record uploads: a JSON array, NDJSON (one JSON value
 * per line) or CSV with a header row. Each yields one row at a time, so a
 * file of any size needs memory for one row, not for the file.
 */

export type UploadFormat = "json" | "ndjson" | "csv";
/** A request body stream, or chunks already in memory. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
export type Row = { index: number; source: RecordSource } & ({ value: unknown } | { error: string });

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

async function* lines(body: ByteSource): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  buffer += decoder.decode();
  if (buffer) yield buffer;
}

async function* ndjsonRows(body: ByteSource): AsyncGenerator<Row> {
  let index = 0;
  for await (const line of lines(body)) {
    const text = line.trim();
    if (!text) continue;
    try {
      yield { index, source: "json", value: JSON.parse(text) };
    } catch (error) {
      yield { index, source: "json", error: `malformed JSON line: ${(error as Error).message}` };
    }
    index++;
  }
}

async function* csvRows(body: ByteSource): AsyncGenerator<Row> {
  const parser = Readable.from(body).pipe(
    parseCsv({ columns: true, bom: true, skip_empty_lines: true, trim: false, relax_column_count: false }),
  );
  let index = 0;
  try {
    for await (const record of parser) yield { index: index++, source: "csv", value: record };
  } catch (error) {
    throw new AppError("bad_request", `Malformed CSV after row ${index}: ${(error as Error).message}`);
  }
}

/**
 * Splits a top-level JSON array into its elements' texts without parsing the
 * whole document: tracks nesting depth and strings, byte by byte.
 */
async function* jsonArrayRows(body: ByteSource): AsyncGenerator<Row> {
  const decoder = new TextDecoder();
  let state: "start" | "between" | "element" | "end" = "start";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = "";
  let index = 0;

  const emit = (): Row => {
    const row: Row = (() => {
      try {
        return { index, source: "json" as const, value: JSON.parse(element) };
      } catch (error) {
        return { index, source: "json" as const, error: `malformed JSON value: ${(error as Error).message}` };
      }
    })();
    index++;
    element = "";
    return row;
  };
  const malformed = (detail: string) => new AppError("bad_request", `Malformed JSON: ${detail}; expected an array of records`);

  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    for (const char of text) {
      if (state === "start") {
        if (/\s/.test(char)) continue;
        if (char !== "[") throw malformed(`found ${JSON.stringify(char)} before the array`);
        state = "between";
      } else if (state === "between") {
        if (/\s/.test(char) || char === ",") continue;
        if (char === "]") {
          state = "end";
          continue;
        }
        state = "element";
        element = char;
        depth = char === "{" || char === "[" ? 1 : 0;
        inString = char === '"';
      } else if (state === "element") {
        if (inString) {
          element += char;
          if (escaped) escaped = false;
          else if (char === "\\") escaped = true;
          else if (char === '"') inString = false;
          continue;
        }
        if (depth === 0 && (char === "," || char === "]")) {
          yield emit();
          state = char === "]" ? "end" : "between";
          continue;
        }
        element += char;
        if (char === '"') inString = true;
        else if (char === "{" || char === "[") depth++;
        else if (char === "}" || char === "]") {
          depth--;
          if (depth === 0) {
            yield emit();
            state = "between";
          }
        }
      } else if (!/\s/.test(char)) {
        throw malformed("content after the closing ]");
      }
    }
  }
  if (state === "start") throw new AppError("bad_request", "The request body is empty; send an array of records");
  if (state !== "end") throw malformed("the array is not closed");
}
