import { AppError } from "../errors";
import type { RecordSource } from "../mesh/records";
import { displayName } from "../mesh/text";
import { JsonRepeatedKeyError, parseJson } from "./json";

/**
 * The upload formats, the strict decoder and the JSON readers, free of Node
 * APIs so that the browser's upload preview splits a file exactly as the
 * server will. Each reader yields one row at a time: a file of any size needs
 * memory for one row (at most the record limit), not for the file.
 */

export type UploadFormat = "json" | "ndjson" | "csv";
/** A record as read (objects have no prototype), or why it cannot be read, naming the field when one is at fault. */
export type Row = { index: number; source: RecordSource } & ({ value: unknown } | { error: string; field?: string });
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

export interface ReadOptions {
  /** The body's character encoding, from the Content-Type's charset (default UTF-8). */
  charset?: string;
  /** A record larger than this (UTF-8 bytes of its text) is rejected without being kept in memory. */
  maxRecordBytes?: number;
  /** CSV: called with the header row before the first record; it may throw to refuse the file. */
  onHeader?: (columns: string[]) => void;
}

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** The charset parameter of a Content-Type, lower-cased; undefined when there is none. */
export function charsetOf(contentType: string | null): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return match?.[1]?.toLowerCase();
}

/** Index of the first byte at or after `from` that cannot start or continue UTF-8, or -1; an incomplete sequence at the end is not an error here. */
export function invalidUtf8At(bytes: Uint8Array, from = 0): number {
  let at = from;
  while (at < bytes.length) {
    const byte = bytes[at]!;
    if (byte < 0x80) {
      at++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (byte >= 0xc2 && byte <= 0xdf) length = 2;
    else if (byte >= 0xe0 && byte <= 0xef) {
      length = 3;
      if (byte === 0xe0) low = 0xa0;
      if (byte === 0xed) high = 0x9f;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      length = 4;
      if (byte === 0xf0) low = 0x90;
      if (byte === 0xf4) high = 0x8f;
    } else return at;
    for (let next = 1; next < length; next++) {
      if (at + next >= bytes.length) return -1;
      const continuation = bytes[at + next]!;
      if (continuation < (next === 1 ? low : 0x80) || continuation > (next === 1 ? high : 0xbf)) return at;
    }
    at += length;
  }
  return -1;
}

const NEWLINE = 0x0a;

function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let at = 0; at < end; at++) if (bytes[at] === NEWLINE) count++;
  return count;
}

function decoderFor(charset: string): TextDecoder {
  try {
    return new TextDecoder(charset, { fatal: true });
  } catch {
    throw new AppError("unsupported_media_type", `Unknown charset ${JSON.stringify(charset)}: send UTF-8 or name a known encoding`);
  }
}

/**
 * Decodes a byte stream strictly: a byte sequence that is not valid in the
 * charset (UTF-8 unless one is named) fails the load with a 422 naming its
 * line, instead of turning into replacement characters.
 */
export async function* decodeText(body: ByteSource, charset = "utf-8"): AsyncGenerator<string> {
  const decoder = decoderFor(charset);
  let line = 1;
  const refuse = (at: number) =>
    new AppError(
      "validation",
      `The body is not valid ${decoder.encoding === "utf-8" ? "UTF-8" : decoder.encoding} (line ${at}): send UTF-8, or name the file's encoding in the Content-Type, e.g. text/csv; charset=windows-1252`,
    );
  for await (const chunk of body) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      // The chunk may open with the rest of a character begun in the last one.
      let from = 0;
      while (from < 3 && from < chunk.length && (chunk[from]! & 0xc0) === 0x80) from++;
      const bad = invalidUtf8At(chunk, from);
      throw refuse(line + countNewlines(chunk, bad < 0 ? chunk.length : bad));
    }
    line += countNewlines(chunk);
    if (text) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw refuse(line);
  }
  if (rest) yield rest;
}

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 0x80) bytes += code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

export function tooLargeMessage(maxRecordBytes: number): string {
  return `the record is larger than ${formatBytes(maxRecordBytes)}, the most one record may hold`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** One parsed record, or the reason it is rejected (naming the field when one is at fault). */
function parsedRow(index: number, text: string, what: string): Row {
  try {
    return { index, source: "json", value: parseJson(text) };
  } catch (error) {
    if (error instanceof JsonRepeatedKeyError) {
      return { index, source: "json", field: error.path.map((part) => displayName(String(part))).join("."), error: `repeated key: ${error.message}` };
    }
    return { index, source: "json", error: `malformed JSON ${what}: ${(error as Error).message}` };
  }
}

type Line = { text: string } | { tooLarge: true };

async function* lines(text: AsyncIterable<string>, maxBytes: number): AsyncGenerator<Line> {
  let buffer = "";
  let bytes = 0;
  let skipping = false;
  for await (const piece of text) {
    let start = 0;
    let newline: number;
    while ((newline = piece.indexOf("\n", start)) >= 0) {
      const part = piece.slice(start, newline);
      if (skipping || bytes + utf8Length(part) > maxBytes) yield { tooLarge: true };
      else yield { text: buffer + part };
      buffer = "";
      bytes = 0;
      skipping = false;
      start = newline + 1;
    }
    if (skipping) continue;
    const part = piece.slice(start);
    bytes += utf8Length(part);
    if (bytes > maxBytes) {
      skipping = true;
      buffer = "";
    } else buffer += part;
  }
  if (skipping) yield { tooLarge: true };
  else if (buffer) yield { text: buffer };
}

export async function* ndjsonRows(body: ByteSource, options: ReadOptions = {}): AsyncGenerator<Row> {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  let index = 0;
  for await (const line of lines(decodeText(body, options.charset), maxBytes)) {
    if ("tooLarge" in line) {
      yield { index: index++, source: "json", error: tooLargeMessage(maxBytes) };
      continue;
    }
    const text = line.text.trim();
    if (!text) continue;
    yield parsedRow(index++, text, "line");
  }
}

const isWhitespace = (char: string | undefined) => char === " " || char === "\n" || char === "\r" || char === "\t";

/**
 * Splits a top-level JSON array into its elements' texts without parsing the
 * whole document: tracks nesting depth and strings. An element that is not
 * valid JSON, or larger than the record limit, is a rejected row; a broken
 * array (text around it, missing or doubled commas, no closing bracket) fails
 * the load.
 */
export async function* jsonArrayRows(body: ByteSource, options: ReadOptions = {}): AsyncGenerator<Row> {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  /** first: after "[", next: after ",", after: after a complete element. */
  let state = "start" as "start" | "first" | "next" | "element" | "after" | "end";
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** The element's text so far (dropped once it is too large) and its UTF-8 size. */
  let element = "";
  let elementBytes = 0;
  let index = 0;

  const emit = (): Row => {
    const row: Row =
      elementBytes > maxBytes
        ? { index, source: "json", error: tooLargeMessage(maxBytes) }
        : parsedRow(index, element, "value");
    index++;
    element = "";
    elementBytes = 0;
    return row;
  };
  const malformed = (detail: string) => new AppError("bad_request", `Malformed JSON: ${detail}; expected an array of records`);

  for await (const text of decodeText(body, options.charset)) {
    /** Where the current element's text starts in this piece, while in an element. */
    let from = state === "element" ? 0 : -1;
    const keep = (end: number) => {
      const part = text.slice(from, end);
      elementBytes += utf8Length(part);
      element = elementBytes > maxBytes ? "" : element + part;
    };
    for (let at = 0; at < text.length; at++) {
      const char = text[at]!;
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
        from = at;
        depth = char === "{" || char === "[" ? 1 : 0;
        inString = char === '"';
      } else if (state === "element") {
        if (inString) {
          if (escaped) escaped = false;
          else if (char === "\\") escaped = true;
          else if (char === '"') inString = false;
          continue;
        }
        if (depth === 0 && (char === "," || char === "]")) {
          keep(at);
          yield emit();
          state = char === "]" ? "end" : "next";
          continue;
        }
        if (char === '"') inString = true;
        else if (char === "{" || char === "[") depth++;
        else if (char === "}" || char === "]") {
          depth--;
          if (depth === 0) {
            keep(at + 1);
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
    if (state === "element") keep(text.length);
  }
  if (state === "start") throw new AppError("bad_request", "The request body is empty; send an array of records");
  if (state !== "end") throw malformed("the array is not closed");
}
