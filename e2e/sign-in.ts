import { expect, type Page } from "@playwright/test";

/** The demo accounts (lib/auth/demo.ts) seeded with the demo data. */
export const OWNER = { email: "owner@demo.local", password: "demo-owner-pass" };
export const ANALYST = { email: "analyst@demo.local", password: "demo-analyst-pass" };
export const ADMIN = { email: "admin@demo.local", password: "demo-admin-pass" };

/** Signs in through the sign-in page and waits for the catalog. */
export async function signIn(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/products$/);
}
