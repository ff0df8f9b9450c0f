import type { Page } from "@playwright/test";
import { collectCspViolations, expect, test } from "./fixtures";
import { ANALYST, OWNER, signIn } from "./sign-in";

// The demo owner owns payments; the analyst owns nothing. The product is made restricted here and public again at the end.
const PRODUCT = "/products/payments/chargeback-cases";
const QUESTION = "Which chargebacks did we win?";

async function askChargebacks(page: Page) {
  await page.goto("/chat");
  await page.getByRole("checkbox", { name: /Chargeback Cases/ }).check();
  await page.getByLabel("Your question").fill(QUESTION);
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  const answer = page.getByRole("article", { name: "Answer" }).last();
  await expect(answer.getByLabel("Products consulted")).toBeVisible({ timeout: 30_000 });
  return answer;
}

test("an analyst requests access to a restricted product, its owner approves, and the analyst's chat then cites its records", async ({ page, browser }) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const ownerViolations: string[] = [];
  collectCspViolations(owner, ownerViolations);
  try {
    // The owner restricts the product on its edit form.
    await signIn(owner, OWNER);
    await owner.goto(`${PRODUCT}/edit`);
    await owner.getByLabel("Visibility").selectOption("restricted");
    await owner.getByRole("button", { name: "Save changes" }).click();
    await expect(owner).toHaveURL(new RegExp(`${PRODUCT}$`));
    await expect(owner.getByText("restricted", { exact: true }).first()).toBeVisible();

    // The analyst sees the entry, not the records; the chat names the product as restricted and cites nothing of it.
    await signIn(page, ANALYST);
    await page.goto(PRODUCT);
    await expect(page.getByRole("heading", { level: 1, name: "Chargeback Cases" })).toBeVisible();
    await expect(page.getByText("Chargeback Cases is restricted.")).toBeVisible();
    await expect(page.getByText("CB-24001")).toHaveCount(0);
    const refused = await askChargebacks(page);
    await expect(refused.getByLabel("Products consulted")).toContainText("restricted");
    await expect(refused.getByRole("link", { name: /^CB-\d+$/ })).toHaveCount(0);

    // From the chat's link to the product's access section: the request.
    await refused.getByRole("link", { name: /restricted: request access/ }).click();
    await expect(page).toHaveURL(new RegExp(`${PRODUCT}#access$`));
    await page.getByLabel("Purpose").fill("Quarterly dispute-rate analysis for the finance review");
    await page.getByLabel("For").selectOption("30");
    await page.getByRole("button", { name: "Request access" }).click();
    const mine = page.getByRole("list", { name: "Your requests" });
    await expect(mine).toContainText("pending");
    await expect(mine).toContainText("asks for 30 days");
    await expect(page.getByRole("button", { name: "Request access" })).toHaveCount(0);

    // The owner finds it in the Requests view and approves it for fewer days.
    await owner.getByRole("link", { name: "Requests", exact: true }).click();
    const toDecide = owner.getByRole("list", { name: "Requests to decide" });
    const request = toDecide.getByRole("listitem").filter({ hasText: ANALYST.email });
    await expect(request).toContainText("Quarterly dispute-rate analysis");
    await request.getByLabel(`Days to grant ${ANALYST.email}`).selectOption("7");
    await request.getByRole("button", { name: "Approve" }).click();
    await expect(owner.getByText("Nothing waits for your decision.")).toBeVisible();
    await owner.goto(`${PRODUCT}#access`);
    await expect(owner.getByRole("list", { name: "Grants" })).toContainText(`${ANALYST.email} reads the records until`);

    // The analyst now reads the records, and the chat cites them.
    await page.reload();
    await expect(page.getByRole("list", { name: "Your requests" })).toContainText("approved");
    await expect(page.getByRole("cell", { name: "CB-24001" }).first()).toBeVisible();
    const answered = await askChargebacks(page);
    const citation = answered.getByRole("link", { name: /^CB-\d+$/ }).first();
    await expect(citation).toBeVisible();
    await citation.click();
    await expect(page).toHaveURL(/\/products\/payments\/chargeback-cases\/records\/CB-\d+$/);
  } finally {
    const reset = await owner.request.patch(`/api/products/payments/chargeback-cases`, { data: { visibility: "public" } });
    expect(reset.ok()).toBe(true);
    await ownerContext.close();
  }
  expect(ownerViolations, "CSP violations in the owner's browser console").toEqual([]);
});
