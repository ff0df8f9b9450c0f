import type { ErrorCode, FieldErrors } from "@/lib/errors";

/**
 * The browser's one way to call the portal's REST API. A failed call throws
 * an ApiError carrying the server's message, code and field errors (the
 * `{ error, code, fieldErrors }` body of every 4xx/5xx), so a form can show
 * each field's error beside the field (see showServerErrors in ui/form.tsx).
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | "network";
  readonly fieldErrors: FieldErrors;

  constructor(status: number, code: ErrorCode | "network", message: string, fieldErrors: FieldErrors = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

/** The ApiError of a failed response's status and parsed body (also for XMLHttpRequest uploads). */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const { error, code, fieldErrors, message } = (body ?? {}) as { error?: unknown; code?: unknown; fieldErrors?: unknown; message?: unknown };
  const text = typeof error === "string" ? error : typeof message === "string" ? message : `Request failed (${status})`;
  return new ApiError(status, typeof code === "string" ? (code as ErrorCode) : "internal", text, (fieldErrors as FieldErrors | undefined) ?? {});
}

type Options = { method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; body?: unknown; signal?: AbortSignal };

/** Calls `path` (lib/paths.ts), sending `body` as JSON; resolves with the JSON answer (undefined for 204). */
export async function api<T>(path: string, { method = "GET", body, signal }: Options = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, "network", "The portal could not be reached; check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const parsed: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw apiErrorOf(response.status, parsed);
  return parsed as T;
}
