import { expect, test } from "./fixtures";
import { OWNER, signIn } from "./sign-in";

const notes = [
  { id: "N-1", text: "Customer could not pair the doorbell with the phone app after the firmware update." },
  { id: "N-2", text: "Refund issued for a thermostat that arrived with a cracked screen." },
  { id: "N-3", text: "Invoice for the annual plan was sent to the wrong email address." },
  { id: "N-4", text: "Smart lock batteries drained within a week; replaced the unit." },
  { id: "N-5", text: "Camera stops recording at night when the wifi signal is weak." },
];

// The demo owner owns the payments domain.
test("an owner enables semantic search in the browser, watches it index, searches and opens a result", async ({ page }) => {
  await signIn(page, OWNER);
  const name = `notes-${Date.now().toString(36)}`;
  const created = await page.request.post("/api/products", {
    data: {
      domain: "payments",
      name,
      title: "Agent Notes",
      owner: "payments-data@example.com",
      schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }, { name: "text", type: "string", required: true }] },
    },
  });
  expect(created.status()).toBe(201);
  const loaded = await page.request.post(`/api/products/payments/${name}/records`, { data: notes });
  expect(await loaded.json()).toMatchObject({ accepted: notes.length, rejectedTotal: 0 });

  await page.goto(`/products/payments/${name}`);
  const panel = page.getByRole("form", { name: "Semantic search settings" });
  await expect(page.getByPlaceholder("Enable semantic search to ask this product questions")).toBeDisabled();
  await panel.getByRole("checkbox", { name: "text" }).check();
  await panel.getByRole("button", { name: "Enable semantic search" }).click();

  // Progress is shown while indexing, then the capability is ready.
  await expect(page.getByText(`of ${notes.length} records`)).toBeVisible();
  await expect(page.getByText("ready", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(`${notes.length} of ${notes.length} records`, { exact: true })).toBeVisible();
  // Its AI health: every record embedded, and the signals retrieval runs on.
  const health = page.getByRole("region", { name: "AI health" });
  await expect(health).toContainText(`100% (${notes.length} of ${notes.length} records)`);
  await expect(health).toContainText("meaning (vector), keywords (BM25), related words (expanded BM25)");

  const search = page.getByRole("search", { name: `Search payments/${name}` });
  await search.getByLabel("Question").fill("money returned for a broken heating controller");
  await search.getByRole("button", { name: "Search" }).click();
  const results = page.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("listitem").first()).toContainText("N-2");
  await expect(results.getByRole("listitem").first()).toContainText("similarity");

  await results.getByRole("link", { name: "N-2" }).click();
  await expect(page).toHaveURL(new RegExp(`/products/payments/${name}/records/N-2$`));
  await expect(page.getByText("Refund issued for a thermostat").first()).toBeVisible();
});
