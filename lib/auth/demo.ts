import type { UserRole } from "../mesh/permissions";

/**
 * The demo accounts seeded with the demo data (DEMO_DATA, embedded database),
 * so that a new user can try each role. Their passwords are public: turn
 * DEMO_DATA off for a real installation.
 */
export const DEMO_ACCOUNTS: readonly { email: string; name: string; password: string; role: UserRole; owns: readonly string[]; label: string }[] = [
  { email: "owner@demo.local", name: "Omar Owner", password: "demo-owner-pass", role: "member", owns: ["customer-support", "payments"], label: "Owner of customer-support and payments" },
  { email: "analyst@demo.local", name: "Ana Analyst", password: "demo-analyst-pass", role: "member", owns: [], label: "Analyst: reads everything, changes nothing" },
  { email: "admin@demo.local", name: "Ada Admin", password: "demo-admin-pass", role: "admin", owns: [], label: "Admin: manages domains and users" },
];
