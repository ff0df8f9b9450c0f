import { AppError } from "../errors";
import type { RecordSource } from "../mesh/records";

/**
 * The upload formats and the JSON readers, free of Node APIs so that the
 * browser's upload preview splits a file exactly as the server will. Each
 * reader yields one row at a time: a file of any size needs memory for one
 * row, not for the file.
 */

export type UploadFormat = "json" | "ndjson" | "csv";
export type Row = { index: number; source: RecordSource } & ({ value: unknown } | { error: string });
/** A request body stream, or chunks already in memory. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export const CONTENT_TYPES: Record<UploadFormat, string> = {
  json: "application/json",
  ndjson: "application/x-ndjson",
  csv: "text/csv",
};

/** The format a file name announces by its extension, if any. */
export function formatOfFileName(fileName: string): UploadFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === "csv") return "csv";
  if (extension === "ndjson" || extension === "jsonl") return "ndjson";
  if (extension === "json") return "json";
  return undefined;
}

/** The format of a file without a telling extension, from its first characters. */
export function sniffFormat(head: string): UploadFormat {
  const first = head.replace(/^\uFEFF/, "").trimStart()[0];
  if (first === "[") return "json";
  if (first === "{") return "ndjson";
  return "csv";
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

export async function* ndjsonRows(body: ByteSource): AsyncGenerator<Row> {
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

const isWhitespace = (char: string) => char === " " || char === "\n" || char === "\r" || char === "\t";

/**
 * Splits a top-level JSON array into its elements' texts without parsing the
 * whole document: tracks nesting depth and strings, character by character.
 * An element that is not valid JSON is a rejected row; a broken array (text
 * around it, missing or doubled commas, no closing bracket) fails the load.
 */
export async function* jsonArrayRows(body: ByteSource): AsyncGenerator<Row> {
  const decoder = new TextDecoder();
  /** first: after "[", next: after ",", after: after a complete element. */
  let state: "start" | "first" | "next" | "element" | "after" | "end" = "start";
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
        if (isWhitespace(char) || char === "\uFEFF") continue;
        if (char !== "[") throw malformed(`found ${JSON.stringify(char)} before the array`);
        state = "first";
      } else if (state === "first" || state === "next") {
        if (isWhitespace(char)) continue;
        if (char === "]" && state === "first") {
          state = "end";
          continue;
        }
        if (char === "," || char === "]") {
          throw malformed(state === "first" ? `found "${char}" before the first record` : `a value is missing after record ${index - 1}`);
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
          state = char === "]" ? "end" : "next";
          continue;
        }
        element += char;
        if (char === '"') inString = true;
        else if (char === "{" || char === "[") depth++;
        else if (char === "}" || char === "]") {
          depth--;
          if (depth === 0) {
            yield emit();
            state = "after";
          }
        }
      } else if (state === "after") {
        if (isWhitespace(char)) continue;
        if (char === ",") state = "next";
        else if (char === "]") state = "end";
        else throw malformed(`a comma is missing after record ${index - 1}`);
      } else if (!isWhitespace(char)) {
        throw malformed("content after the closing ]");
      }
    }
  }
  if (state === "start") throw new AppError("bad_request", "The request body is empty; send an array of records");
  if (state !== "end") throw malformed("the array is not closed");
}
