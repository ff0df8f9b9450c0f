/** The statuses of a check and of a product's health (no imports: the product contract uses them too). */

export const CHECK_STATUSES = ["met", "breached", "unknown"] as const;
export const HEALTH_STATUSES = ["healthy", "degraded", "breached", "unknown"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
export type HealthStatus = (typeof HEALTH_STATUSES)[number];
