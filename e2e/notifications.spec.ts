import { expect, test } from "./fixtures";
import { OWNER, signIn } from "./sign-in";

// The demo owner owns customer-support; support-tickets declares freshness 24 h,
// and its opened_at times are months old: measured on them, freshness is breached.
test.beforeEach(async ({ page }) => {
  await signIn(page, OWNER);
});

test("a user follows a product, sees its health badge and chart, and is notified in the portal when its freshness is breached", async ({ page }) => {
  await page.goto("/products/customer-support/support-tickets");
  await page.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(page.getByRole("button", { name: "Following" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("compliance-chart").getByRole("img").first()).toBeVisible();

  await page.goto("/products/customer-support/support-tickets/edit");
  await page.getByLabel("Event time field").selectOption("opened_at");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/products\/customer-support\/support-tickets$/);
  await page.getByTestId("health-panel").getByRole("button", { name: "Check now" }).click();
  await expect(page.getByTestId("health-panel").getByRole("row", { name: /Freshness/ })).toContainText("breached");
  await expect(page.getByRole("heading", { level: 1 }).locator("..")).toContainText("breached");

  // The header's bell counts it (polled, and read again on the next page).
  await page.goto("/products");
  const bell = page.getByRole("link", { name: /^Notifications: \d+ unread$/ });
  await expect(bell).toBeVisible();
  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);
  // One notification per breached check: with opened_at as the event time the oldest tickets may also
  // outlive the retention, depending on today's date.
  const item = page.getByRole("list", { name: "Notifications" }).getByRole("listitem").filter({ hasText: "Support Tickets" }).filter({ hasText: "Freshness breached" });
  await expect(item).toContainText("SLA breached");
  await expect(item).toContainText(/Freshness breached: [\d,.]+ h \(target ≤ 24 h\)/);

  await page.getByRole("button", { name: "Mark all read" }).click();
  await expect(page.getByText("All read", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();

  await page.goto("/settings");
  const followed = page.getByRole("list", { name: "Products you follow" });
  await expect(followed).toContainText("Support Tickets");
  await followed.getByRole("button", { name: "Following" }).click();
  await expect(followed.getByRole("button", { name: "Follow", exact: true })).toBeVisible();
});

test("an owner's webhook URL that the SSRF rules refuse is named on the settings page", async ({ page }) => {
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Add a webhook" });
  await form.getByLabel("URL").fill("http://169.254.169.254/latest/meta-data");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByText(/link-local/)).toBeVisible();
  await expect(page.getByText("No webhooks yet.")).toBeVisible();
});
