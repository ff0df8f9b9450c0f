import { insertRequests, type LoggedRequest } from "../db/health";
import { processSingleton } from "./singleton";

/**
 * The request log's write buffer, one per process: requests are written in
 * batches, off the request's path, at most FLUSH_MS after they end.
 */

const FLUSH_MS = 1000;
const MAX_BUFFERED = 500;

const state = processSingleton<{ pending: LoggedRequest[]; timer?: NodeJS.Timeout }>("request-log", () => ({ pending: [] }));

export function logRequest(entry: LoggedRequest): void {
  state.pending.push(entry);
  if (state.pending.length >= MAX_BUFFERED) void flushRequestLog();
  else if (!state.timer) state.timer = setTimeout(() => void flushRequestLog(), FLUSH_MS).unref();
}

/** Writes what is buffered now (tests call it before measuring). */
export async function flushRequestLog(): Promise<void> {
  clearTimeout(state.timer);
  state.timer = undefined;
  const batch = state.pending.splice(0);
  await insertRequests(batch).catch((error: unknown) => console.error("Could not write the request log:", error));
}
