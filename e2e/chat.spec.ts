import { expect, test } from "./fixtures";
import { ANALYST, signIn } from "./sign-in";

// The demo products have semantic search on: the server embeds their records when it starts.
test("an analyst asks the chat a question: consulted products, a streamed cited answer, a question narrowed to one product", async ({ page }) => {
  await signIn(page, ANALYST);
  await page.goto("/chat");
  await expect(page.getByRole("heading", { name: "Ask the data mesh" })).toBeVisible();

  // Wait until the demo products this test asks are indexed (the page lists whether each is searchable).
  await expect(async () => {
    await page.reload();
    for (const address of ["manufacturing/maintenance-logs", "hr/job-postings"]) {
      await expect(page.getByText(address, { exact: true })).toBeVisible();
    }
  }).toPass({ timeout: 60_000 });

  await page.getByLabel("Your question").fill("Which machines were leaking hydraulic oil?");
  await page.getByRole("button", { name: "Ask", exact: true }).click();

  const answer = page.getByRole("article", { name: "Answer" }).first();
  const consulted = answer.getByLabel("Products consulted");
  await expect(consulted).toBeVisible();
  await expect(consulted.getByRole("link", { name: "Maintenance Logs" })).toBeVisible();
  await expect(answer.getByText(/^The closest Maintenance Logs record is ML-\d+/)).toBeVisible();

  // The answer cites its records; a citation opens the record page.
  const citation = answer.getByRole("link", { name: /^ML-\d+$/ }).first();
  await expect(citation).toBeVisible();
  const key = (await citation.textContent())!;
  await citation.click();
  await expect(page).toHaveURL(new RegExp(`/products/manufacturing/maintenance-logs/records/${key}$`));
  await expect(page.getByText(key).first()).toBeVisible();

  // The conversation survives navigation in the same tab; the next question is narrowed to one product.
  await page.goBack();
  await expect(page.getByRole("article", { name: "Question" })).toHaveCount(1);
  await page.getByRole("checkbox", { name: /Job Postings/ }).check();
  await page.getByLabel("Your question").fill("Which open roles are for maintenance technicians?");
  await page.getByLabel("Your question").press("Enter");
  const followUp = page.getByRole("article", { name: "Answer" }).nth(1);
  await expect(followUp.getByLabel("Products consulted")).toContainText("Consulted 1 product");
  await expect(followUp.getByLabel("Products consulted").getByRole("link", { name: "Job Postings" })).toBeVisible();
  await expect(followUp.getByRole("link", { name: /^JP-\d+$/ }).first()).toBeVisible();
});

test("a count question: the number first, the table of counted records, a citation that opens the record, and the conversation kept", async ({ page }) => {
  await signIn(page, ANALYST);
  await page.goto("/chat");
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("manufacturing/maintenance-logs", { exact: true })).toBeVisible();
  }).toPass({ timeout: 60_000 });

  await page.getByLabel("Your question").fill("How many maintenance jobs were logged on the molding floor?");
  await page.getByRole("button", { name: "Ask", exact: true }).click();

  const answer = page.getByRole("article", { name: "Answer" }).first();
  // The first sentence states the count; the plan follows in plain words. (The first question after a load builds the value catalogs.)
  await expect(answer.getByText(/^6 Maintenance Logs records match: line is Molding\.$/)).toBeVisible({ timeout: 30_000 });
  await expect(answer.getByText("Counted Maintenance Logs records where line is Molding.")).toBeVisible();
  const table = answer.getByRole("table");
  await expect(table.getByRole("columnheader", { name: "line" })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(7);

  const citation = table.getByRole("link", { name: /^ML-\d+$/ }).first();
  const key = (await citation.textContent())!;
  await citation.click();
  await expect(page).toHaveURL(new RegExp(`/products/manufacturing/maintenance-logs/records/${key}$`));
  await expect(page.getByText("Molding").first()).toBeVisible();

  // The conversation is kept for the analyst: listed beside the chat, reopened from the list.
  await page.goto("/chat");
  await page.getByRole("button", { name: "New conversation" }).click();
  await expect(page.getByRole("article", { name: "Question" })).toHaveCount(0);
  await page.getByRole("button", { name: "How many maintenance jobs were logged on the molding floor?" }).first().click();
  await expect(page.getByRole("article", { name: "Answer" }).first().getByText(/^6 Maintenance Logs records match/)).toBeVisible();
});
