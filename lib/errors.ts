import type { z } from "zod";
import { textIssues } from "./mesh/text";

/**
 * One error type for everything the caller can act on. Each code maps to an
 * HTTP status; the message is safe to show to users. Anything that is not an
 * AppError is an internal failure: logged on the server, never shown.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  /** The client took too long sending the request (an upload that stalled). */
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation: 422,
  rate_limited: 429,
  internal: 500,
  /** A model endpoint failed or answered with output that does not match what was declared. */
  bad_gateway: 502,
  /** The server is answering as many questions as it takes at once; Retry-After says when to ask again. */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors?: FieldErrors;
  /** Seconds until a rate-limited request may be repeated (the Retry-After header). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, fieldErrors?: FieldErrors, options: { retryAfter?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { error: string; code: ErrorCode; fieldErrors?: FieldErrors } {
    return this.fieldErrors
      ? { error: this.message, code: this.code, fieldErrors: this.fieldErrors }
      : { error: this.message, code: this.code };
  }
}

/** Flattens zod issues to `{ "schema.fields.0.name": ["message"] }`. */
export function toFieldErrors(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || "(body)";
    (fieldErrors[path] ??= []).push(issue.message);
  }
  return fieldErrors;
}

export function validationError(error: z.ZodError): AppError {
  const fields = Object.keys(toFieldErrors(error));
  return new AppError("validation", `Invalid input: check ${fields.join(", ")}`, toFieldErrors(error));
}

/**
 * Parses `input` with `schema`, throwing a 422 AppError that names each bad
 * field. First, whatever the schema: no key or string anywhere in the input
 * may hold text that cannot be stored (a NUL, an unpaired surrogate).
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const issues = textIssues(input);
  if (issues.length) {
    const fieldErrors: FieldErrors = {};
    for (const issue of issues) (fieldErrors[issue.path.map(String).join(".") || "(body)"] ??= []).push(issue.message);
    throw new AppError("validation", `Invalid input: check ${Object.keys(fieldErrors).join(", ")}`, fieldErrors);
  }
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
