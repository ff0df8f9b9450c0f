import { healthCheckApiPath, healthPurgeApiPath, type ProductRef } from "@/lib/paths";
import type { Health } from "@/lib/mesh/health";
import type { PurgeResult } from "@/lib/validation/health";

/** Browser calls of the health API; errors carry the server's message. */

async function post<T>(url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });
  const parsed = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(parsed.error ?? `Request failed (${response.status})`);
  return parsed as T;
}

export const checkNow = (product: ProductRef) => post<Health>(healthCheckApiPath(product));
export const purge = (product: ProductRef, dryRun: boolean) => post<PurgeResult>(healthPurgeApiPath(product), { dryRun });
