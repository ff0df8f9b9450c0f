import { AppError } from "./errors";

/** Request/response plumbing shared by every route handler. */

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON body: 415 unless the content type is JSON, 413 past
 * `maxBytes` (checked while streaming, not only from Content-Length),
 * 400 for malformed JSON.
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
    return JSON.parse(text);
  } catch (error) {
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
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) return Response.json(error.toJSON(), { status: error.status });
  console.error("Unhandled error in API route:", error);
  return Response.json({ error: "Internal server error", code: "internal" }, { status: 500 });
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a route handler: AppErrors become their status, anything else a logged 500. */
export function route<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
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

/** Whom a rate limit counts: the signed-in user, else the client's address (visitors, with PUBLIC_READ). */
export function rateLimitClient(request: Request, reader: { id: string } | null): string {
  return reader?.id ?? request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "visitor";
}
