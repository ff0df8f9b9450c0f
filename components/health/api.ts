import { api } from "@/components/api-client";
import type { Health } from "@/lib/mesh/health";
import { healthCheckApiPath, healthPurgeApiPath, type ProductRef } from "@/lib/paths";
import type { PurgeResult } from "@/lib/validation/health";

/** Browser calls of the health API. */

export const checkNow = (product: ProductRef) => api<Health>(healthCheckApiPath(product), { method: "POST" });
export const purge = (product: ProductRef, dryRun: boolean) => api<PurgeResult>(healthPurgeApiPath(product), { method: "POST", body: { dryRun } });
