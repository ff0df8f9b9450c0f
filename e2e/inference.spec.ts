import { expect, test } from "./fixtures";
import { OWNER, signIn } from "./sign-in";

const reviews = [
  { id: "V-1", text: "Absolutely love it, the best purchase I made this year. Works perfectly." },
  { id: "V-2", text: "Terrible. It broke after two days and support never answered my emails." },
  { id: "V-3", text: "Great quality and fast delivery, I am very happy with this product." },
  { id: "V-4", text: "Awful experience, the device is useless and I want my money back." },
];

// The demo owner owns the payments domain.
test("an owner enables AI inference in the browser, applies it to all records, transforms a record and sees the AI fields with lineage", async ({ page }) => {
  await signIn(page, OWNER);
  const name = `reviews-${Date.now().toString(36)}`;
  const created = await page.request.post("/api/products", {
    data: {
      domain: "payments",
      name,
      title: "Checkout Reviews",
      owner: "payments-data@example.com",
      schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }, { name: "text", type: "string", required: true }] },
    },
  });
  expect(created.status()).toBe(201);
  const loaded = await page.request.post(`/api/products/payments/${name}/records`, { data: reviews });
  expect(await loaded.json()).toMatchObject({ accepted: reviews.length, rejectedTotal: 0 });

  await page.goto(`/products/payments/${name}`);
  const form = page.getByRole("form", { name: "AI inference settings" });
  await form.getByRole("radio", { name: /Classify \(built-in, offline\)/ }).check();
  await form.getByRole("textbox", { name: "Instructions" }).fill("Classify the sentiment of the review.");
  await form.getByRole("textbox", { name: "Labels" }).fill("happy satisfied customer\nangry unhappy customer");
  await form.getByLabel("Output field 1 name").fill("sentiment");
  await form.getByLabel("Output field 2 name").fill("sentiment_score");
  await form.getByRole("button", { name: "Enable inference" }).click();

  // Enabled: the AI fields extend the schema table, marked "AI".
  await expect(page.getByText(`0 of ${reviews.length} records`)).toBeVisible();
  const schemaRow = page.getByRole("row", { name: /sentiment_score/ });
  await expect(schemaRow.getByText("AI", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Apply to all records" }).click();
  await expect(page.getByText(`${reviews.length} of ${reviews.length} records`)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/Last run done/)).toBeVisible();

  // The record page shows the AI fields with their lineage; the owner transforms again.
  await page.goto(`/products/payments/${name}/records/V-2`);
  const aiTable = page.getByRole("table", { name: "AI-derived fields" });
  await expect(page.getByRole("columnheader", { name: "Value" })).toHaveCount(2);
  await expect(aiTable.getByRole("row", { name: /^sentiment AI/ })).toContainText("angry unhappy customer");
  await expect(page.getByLabel("Lineage")).toContainText("local:classify");
  await expect(page.getByLabel("Lineage")).toContainText("instructions v1");
  await page.getByRole("button", { name: "Transform again" }).click();
  await expect(page.getByRole("status")).toContainText("with local:classify", { timeout: 30_000 });
  await expect(aiTable.getByRole("row", { name: /^sentiment AI/ })).toContainText("angry unhappy customer");
});
