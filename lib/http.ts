import { AppError } from "./errors";
import { JsonRepeatedKeyError, parseJson } from "./ingest/json";
import { pathProblem } from "./security/headers";

/** Request/response plumbing shared by every route handler. */

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON body: 415 unless the content type is JSON, 413 past
 * `maxBytes` (checked while streaming, not only from Content-Length),
 * 422 for bytes that are not UTF-8 or a key given twice, 400 for malformed
 * JSON. Objects come without a prototype (see parseJson).
 */
export async function readJson(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", `Send the body as JSON with Content-Type: application/json (got ${type || "none"})`);
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readText(request, maxBytes);
  if (text.trim() === "") throw new AppError("bad_request", "The request body is empty; send a JSON object");
  try {
    return parseJson(text);
  } catch (error) {
    if (error instanceof JsonRepeatedKeyError) {
      const field = error.path.map(String).join(".");
      throw new AppError("validation", `Invalid input: ${error.message}`, { [field]: ["This key is given twice; give it once"] });
    }
    throw new AppError("bad_request", `Malformed JSON: ${(error as Error).message}`);
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The request body exceeds ${Math.round(maxBytes / 1024)} KiB`);
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("validation", "The body is not valid UTF-8; send JSON in UTF-8");
  }
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers = error.retryAfter === undefined ? undefined : { "Retry-After": String(error.retryAfter) };
    return Response.json(error.toJSON(), { status: error.status, headers });
  }
  console.error("Unhandled error in API route:", error);
  return Response.json({ error: "Internal server error", code: "internal" }, { status: 500 });
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/**
 * Wraps a route handler: a URL path that cannot name anything (%00, broken
 * escapes) is a 400; AppErrors become their status, anything else a logged 500.
 */
export function route<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      const problem = pathProblem(new URL(request.url).pathname);
      if (problem) throw new AppError("bad_request", problem);
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The route context of /api/products/{domain}/{name}/…: its params are the product's address. */
export type ProductContext = { params: Promise<{ domain: string; name: string }> };

/** The query string as an object, for parsing with a zod schema. */
export const searchParams = (request: Request) => Object.fromEntries(new URL(request.url).searchParams);

const YAML_TYPE = /^(?:application|text)\/(?:x-)?yaml\b/i;

/**
 * Reads YAML documents: a body of Content-Type application/yaml (or
 * text/yaml), or multipart/form-data whose files are YAML documents and whose
 * text fields are options. 415 for anything else, 413 past `maxBytes`.
 */
export async function readYamlUploads(request: Request, maxBytes = MAX_BODY_BYTES): Promise<{ texts: string[]; fields: Record<string, string> }> {
  const type = request.headers.get("content-type") ?? "";
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge(maxBytes);
  if (YAML_TYPE.test(type)) return { texts: [await readText(request, maxBytes)], fields: {} };
  if (/^multipart\/form-data\b/i.test(type)) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new AppError("bad_request", "Malformed multipart/form-data body");
    }
    const texts: string[] = [];
    const fields: Record<string, string> = {};
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") fields[name] = value;
      else if (value.size > maxBytes) throw tooLarge(maxBytes);
      else texts.push(await value.text());
    }
    return { texts, fields };
  }
  throw new AppError("unsupported_media_type", `Send YAML with Content-Type: application/yaml, or files as multipart/form-data (got ${type || "none"})`);
}

/** A YAML document as the response, named for saving. */
export const yamlResponse = (text: string, filename: string) =>
  new Response(text, { headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": `inline; filename="${filename}"` } });

/**
 * 403 for a cross-site browser request: multipart bodies can be sent by any
 * site's form, so uploads that a session cookie signs in check where they
 * come from (scripts with an API key send no Origin).
 */
export function requireSameOrigin(request: Request): void {
  if (/^Bearer\s/i.test(request.headers.get("authorization") ?? "")) return;
  const site = request.headers.get("sec-fetch-site");
  if (site === "same-origin" || site === "none") return;
  const origin = request.headers.get("origin");
  if (!origin) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  if (URL.parse(origin)?.host !== host) throw new AppError("forbidden", "Cross-site uploads are refused");
}

/** Whom a rate limit counts: the signed-in user, else the client's address (visitors, with PUBLIC_READ). */
export function rateLimitClient(request: Request, reader: { id: string } | null): string {
  return reader?.id ?? request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "visitor";
}
