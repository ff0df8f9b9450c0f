import { expect, test } from "./fixtures";
import { OWNER, signIn } from "./sign-in";

// The demo owner owns payments; chargeback-cases declares freshness 36 h, and its
// received_on dates are weeks old.
test.beforeEach(async ({ page }) => {
  await signIn(page, OWNER);
});

test("an owner declares an update frequency as a data contract writes it and measures freshness on the event time; the catalog badge, filter and the chart follow", async ({ page }) => {
  await page.goto("/products/payments/chargeback-cases/edit");
  // Typed again if the first fill came before the form hydrated.
  const frequency = page.getByLabel("Update frequency");
  await expect(async () => {
    await frequency.clear();
    await frequency.fill("every 15 minutes");
    await expect(frequency).toHaveValue("every 15 minutes", { timeout: 1000 });
  }).toPass();
  await page.getByLabel("Event time field").selectOption("received_on");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/products\/payments\/chargeback-cases$/);

  // Saving the SLA checks it again: the new target shows without Check now.
  const panel = page.getByTestId("health-panel");
  await expect(panel.getByRole("row", { name: /Update frequency/ })).toContainText("every 15 minutes");
  await panel.getByRole("button", { name: "Check now" }).click();
  const freshness = panel.getByRole("row", { name: /Freshness/ });
  await expect(freshness).toContainText("breached");
  await expect(freshness).toContainText("newest event");
  await expect(panel.getByRole("row", { name: /Update frequency/ })).toContainText("every 15 minutes");
  await expect(page.getByRole("heading", { level: 1 }).locator("..")).toContainText("breached");

  const chart = page.getByTestId("compliance-chart");
  await expect(chart.getByText("Freshness: age of the newest data per day (h)")).toBeVisible();
  await expect(chart.getByRole("img", { name: /^Freshness: age of the newest data per day \(h\): latest/ })).toBeVisible();

  await page.goto("/products");
  await page.getByLabel("Health").selectOption("breached");
  await expect(page).toHaveURL(/health=breached/);
  const card = page.getByRole("article").filter({ hasText: "Chargeback Cases" });
  await expect(card).toContainText("breached");
  await expect(page.getByRole("article").filter({ hasText: "Support Tickets" })).toHaveCount(0);
});
