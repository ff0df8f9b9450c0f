import { expect, test } from "./fixtures";
import { OWNER, signIn } from "./sign-in";

const unique = () => `e2e-${Date.now().toString(36)}`;

// The demo owner owns customer-support and payments.
test.beforeEach(async ({ page }) => {
  await signIn(page, OWNER);
});

test("a product owner registers a product through the form and finds it in the catalog", async ({ page }) => {
  const name = unique();
  await page.goto("/products/new");
  await expect(page.getByRole("heading", { name: "Register a data product" })).toBeVisible();

  // An invalid submission stays on the form with the errors beside their fields.
  await page.getByLabel("Domain").fill("Finance Team");
  await page.getByLabel("Owner (email)").fill("not-an-email");
  await page.getByRole("button", { name: "Register product" }).click();
  await expect(page.getByText("Use lowercase letters, digits and single hyphens (kebab-case)")).toBeVisible();
  await expect(page.getByText("Owner must be an email address")).toBeVisible();
  await expect(page.getByText("Title is required")).toBeVisible();
  await expect(page.getByLabel("Domain")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/products\/new$/);

  // A valid one registers the product and opens its page.
  await page.getByLabel("Domain").fill("payments");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await expect(page.getByText(`payments/${name} is available`)).toBeVisible();
  await page.getByLabel("Title").fill("Invoice Ledger");
  await page.getByLabel("Description", { exact: true }).fill("Every invoice issued to customers, one row per invoice line, from the billing system.");
  await page.getByLabel("Owner (email)").fill("finance-data@example.com");
  await page.getByLabel("Tags").fill("billing");
  await page.getByLabel("Tags").press("Enter");
  await page.getByLabel("Field 1 name").fill("invoice_id");
  await page.getByRole("button", { name: "+ Add field" }).click();
  await page.getByLabel("Field 2 name").fill("amount_eur");
  await page.getByLabel("Field 2 type").selectOption("number");
  await page.getByLabel("Field 2 required").check();
  await page.getByLabel("Availability (%)").fill("99.9");
  await page.getByLabel("Update frequency").fill("daily");
  await page.getByLabel("Status").selectOption("active");
  await page.getByRole("button", { name: "Register product" }).click();

  await expect(page).toHaveURL(new RegExp(`/products/payments/${name}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Invoice Ledger" })).toBeVisible();
  const schema = page.getByRole("region", { name: "Schema", exact: true });
  await expect(schema.getByText("invoice_id")).toBeVisible();
  await expect(schema.getByText("amount_eur")).toBeVisible();
  await expect(page.getByText("99.9 %")).toBeVisible();

  // Find it in the catalog by keyword (a field name), then by filters.
  await page.goto("/products");
  await page.getByLabel("Search").fill("amount_eur");
  const card = page.getByRole("article").filter({ hasText: "Invoice Ledger" });
  await expect(card).toBeVisible();
  await expect(page.getByRole("article")).toHaveCount(1);

  await page.getByLabel("Search").fill("");
  await page.getByLabel("Domain").selectOption("payments");
  await expect(page).toHaveURL(/domain=payments/);
  await expect(card).toBeVisible();
  await page.getByLabel("Status").selectOption("deprecated");
  await expect(page.getByText("No products match")).toBeVisible();
  await page.getByLabel("Status").selectOption("active");
  await page.getByLabel("Tag").selectOption("billing");
  await expect(card).toBeVisible();

  // Open its page from the card.
  await card.getByRole("link", { name: "Invoice Ledger" }).click();
  await expect(page).toHaveURL(new RegExp(`/products/payments/${name}$`));
  await expect(page.getByText(`payments/${name}`).first()).toBeVisible();
});

test("the catalog shows the demo products and an edit can deprecate a product", async ({ page }) => {
  await page.goto("/products");
  await expect(page.getByRole("article").filter({ hasText: "Support Tickets" })).toBeVisible();
  await page.getByRole("link", { name: "Support Tickets" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Support Tickets" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Records" }).getByRole("link", { name: "T-1001" })).toBeVisible();

  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Title").fill("Support Tickets (Zendesk)");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Support Tickets (Zendesk)" })).toBeVisible();

  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("button", { name: "Delete" })).toBeDisabled();
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Deprecate" }).click();
  await expect(page.getByText("Deprecated: still readable")).toBeVisible();

  await page.goto("/products");
  const cards = page.getByRole("article");
  await expect(cards.last()).toContainText("Support Tickets (Zendesk)");
});
