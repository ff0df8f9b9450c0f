import { percentile } from "./stats";

/** Concurrent HTTP clients, bounded in time and requests, and their latencies per route (bench load suite, npm run loadtest). */

export interface Call {
  route: string;
  run(): Promise<Response>;
}

export interface RouteLatency {
  route: string;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Failed requests by status or error message. */
  errors: Record<string, number>;
}

/**
 * `clients` clients, each taking the calls in turn (client i starts at call i),
 * one request at a time, until `until` (a Date.now() time) or `maxRequests`
 * requests in all. A response counts when its whole body has arrived; one
 * with an error status counts in the latencies and in the errors.
 */
export async function runClients(
  calls: Call[],
  options: { clients: number; until: number; maxRequests: number },
): Promise<{ sent: number; routes: RouteLatency[] }> {
  const latencies = new Map<string, number[]>(calls.map((call) => [call.route, []]));
  const errors = new Map<string, Record<string, number>>(calls.map((call) => [call.route, {}]));
  const fail = (route: string, kind: string) => {
    const counts = errors.get(route)!;
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  let sent = 0;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let turn = client; Date.now() < options.until && sent < options.maxRequests; turn++) {
        const call = calls[turn % calls.length]!;
        sent++;
        const started = performance.now();
        try {
          const response = await call.run();
          await response.arrayBuffer();
          latencies.get(call.route)!.push(performance.now() - started);
          if (!response.ok) fail(call.route, String(response.status));
        } catch (error) {
          fail(call.route, (error as Error).message);
        }
      }
    }),
  );
  const routes = calls.map(({ route }) => {
    const values = latencies.get(route)!;
    return {
      route,
      requests: values.length,
      p50Ms: percentile(values, 50),
      p95Ms: percentile(values, 95),
      maxMs: values.length ? Math.max(...values) : NaN,
      errors: errors.get(route)!,
    };
  });
  return { sent, routes };
}

/** "0", or "3× 500, 1× fetch failed". */
export function errorSummary(errors: Record<string, number>): string {
  return Object.entries(errors).map(([kind, count]) => `${count}× ${kind}`).join(", ") || "0";
}

/** The session cookie of a password account (better-auth's sign-in; it checks the Origin header). */
export async function signInCookie(base: string, account: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify(account),
  });
  if (!response.ok) throw new Error(`Signing in as ${account.email} failed: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}
