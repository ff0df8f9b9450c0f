import { AppError, type ErrorCode, type FieldErrors } from "./errors";

/** What a server action returns to its form: data, or a message, its code and field errors. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; code: ErrorCode; fieldErrors?: FieldErrors };

export async function toActionResult<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message, code: error.code, fieldErrors: error.fieldErrors };
    console.error("Unhandled error in server action:", error);
    return { ok: false, error: "Something went wrong on the server. Please try again.", code: "internal" };
  }
}
