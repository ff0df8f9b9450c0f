import { expect, test } from "./fixtures";
import { OWNER, signIn } from "./sign-in";

const csv = `sku,qty,price,added
A-1,5,9.99,2026-03-01
B-2,12,1.5,2026-03-02
C-3,seven,2,2026-02-30
D-4,40,0.25,2026-03-04
E-5,3,100,
`;

// The demo owner owns the payments domain.
test("a product owner uploads a CSV file, reads the report, sorts the records and opens one", async ({ page }) => {
  await signIn(page, OWNER);
  const name = `stock-${Date.now().toString(36)}`;
  const created = await page.request.post("/api/products", {
    data: {
      domain: "payments",
      name,
      title: "Stock Levels",
      owner: "warehouse@example.com",
      status: "active",
      schema: {
        primaryKey: "sku",
        fields: [
          { name: "sku", type: "string", required: true },
          { name: "qty", type: "integer", required: true },
          { name: "price", type: "number" },
          { name: "added", type: "date", pii: false },
        ],
      },
    },
  });
  expect(created.status()).toBe(201);

  await page.goto(`/products/payments/${name}`);
  const records = page.getByRole("region", { name: "Records" });
  await expect(records.getByText("This product holds no records yet.")).toBeVisible();
  await expect(records.getByText("0 records · never loaded")).toBeVisible();

  // Choosing a file shows its first rows before anything is sent.
  await page.getByLabel("Records file").setInputFiles({ name: "stock.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(records.getByText("stock.csv")).toBeVisible();
  await expect(records.getByText("· CSV")).toBeVisible();
  const preview = records.getByRole("table", { name: "Preview" });
  await expect(preview.getByRole("row")).toHaveCount(6);
  await expect(preview.getByRole("row").nth(3)).toContainText("seven");

  await records.getByRole("button", { name: "Upload" }).click();
  await expect(records.getByText("4 accepted", { exact: true })).toBeVisible();
  await expect(records.getByText("1 rejected", { exact: true })).toBeVisible();
  const rejected = records.getByRole("table", { name: "Rejected rows" });
  await expect(rejected.getByRole("row", { name: /qty/ })).toContainText('C-3qtyexpected a whole number, got "seven"');
  await expect(rejected.getByRole("row", { name: /added/ })).toContainText('addedexpected a valid calendar date, got "2026-02-30"');

  // The table shows the stored records, refreshed without a reload.
  await expect(records.getByText(/^4 records · last loaded \d{4}-\d\d-\d\d \d\d:\d\d UTC$/)).toBeVisible();
  const table = records.getByRole("table", { name: /^Records sorted by/ });
  const firstColumn = async () => (await table.getByRole("row").locator("td:first-child").allTextContents()).map((text) => text.trim());
  await expect.poll(firstColumn).toEqual(["A-1", "B-2", "D-4", "E-5"]);

  // Sorting by an integer field is numeric: 3 < 5 < 12 < 40.
  await table.getByRole("link", { name: "qty" }).click();
  await expect(page).toHaveURL(/\?sort=qty#records$/);
  await expect.poll(firstColumn).toEqual(["E-5", "A-1", "B-2", "D-4"]);
  await expect(table.getByRole("columnheader", { name: /qty/ })).toHaveAttribute("aria-sort", "ascending");
  await table.getByRole("link", { name: "qty" }).click();
  await expect(page).toHaveURL(/\?sort=qty&dir=desc#records$/);
  await expect.poll(firstColumn).toEqual(["D-4", "B-2", "A-1", "E-5"]);

  // Each key opens the record's own page.
  await table.getByRole("link", { name: "D-4" }).click();
  await expect(page).toHaveURL(new RegExp(`/products/payments/${name}/records/D-4$`));
  await expect(page.getByRole("heading", { level: 1, name: "D-4" })).toBeVisible();
  const fields = page.getByRole("region", { name: "Fields" });
  await expect(fields.getByRole("row", { name: /^qty/ })).toContainText("40integer");
  await expect(fields.getByRole("row", { name: /^price/ })).toContainText("0.25number");
  await expect(page.getByText(`/api/products/payments/${name}/records/D-4`)).toBeVisible();

  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Stock Levels" })).toBeVisible();

  await page.goto(`/products/payments/${name}/records/no-such-key`);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
