import { expect, test } from "@playwright/test";
import { OWNER, signIn } from "./sign-in";

const unique = () => `e2e-${Date.now().toString(36)}`;

const contract = (name: string, amountType: string) => `apiVersion: v3.1.0
kind: DataContract
id: urn:mesh:payments:${name}:contract
name: Refund Requests
version: 1.0.0
status: active
domain: payments
dataProduct: ${name}
schema:
  - name: ${name}
    properties:
      - { name: refund_id, logicalType: string, required: true, primaryKey: true }
      - { name: amount, logicalType: ${amountType}, required: true, businessName: Amount }
slaProperties:
  - { property: latency, value: 12, unit: h }
`;

test.beforeEach(async ({ page }) => {
  await signIn(page, OWNER);
});

test("a product's contract downloads as ODPS and ODCS YAML, and its schema versions show", async ({ page }) => {
  await page.goto("/products/payments/chargeback-cases");
  const odcs = page.getByRole("link", { name: "ODCS" });
  await expect(page.getByRole("link", { name: "ODPS" })).toHaveAttribute("download", "chargeback-cases.odps.yaml");
  const response = await page.request.get((await odcs.getAttribute("href"))!);
  expect(response.headers()["content-type"]).toMatch(/^application\/yaml/);
  expect(await response.text()).toContain("apiVersion: v3.1.0");
  await expect(page.getByRole("region", { name: "Schema versions" }).getByText("Schema version 1")).toBeVisible();
});

test("an owner imports a contract from YAML (checked first), then a breaking edit needs a new major version", async ({ page }) => {
  const name = unique();
  await page.goto("/products");
  await page.getByRole("link", { name: "Import YAML" }).click();
  await expect(page.getByRole("heading", { name: "Import a data product" })).toBeVisible();

  // An invalid contract: refused with the YAML path, and the Import button stays off.
  await page.getByLabel("Or paste YAML").fill(contract(name, "bigint"));
  await page.getByRole("button", { name: "Check" }).click();
  const refused = page.getByRole("alert", { name: "Import refused" });
  await expect(refused).toContainText("schema[0].properties[1].logicalType");
  await expect(refused).toContainText('unknown type "bigint"');
  await expect(page.getByRole("button", { name: "Import" })).toBeDisabled();

  // Fixed: the check shows what would be registered and what is left out, then it imports.
  await page.getByLabel("Or paste YAML").fill(contract(name, "number"));
  await page.getByRole("button", { name: "Check" }).click();
  const check = page.getByRole("region", { name: "Import check" });
  await expect(check).toContainText(`Import would register payments/${name}`);
  await expect(check).toContainText("schema[0].properties[1]");
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByRole("region", { name: "Import result" }).getByRole("link", { name: `payments/${name}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Refund Requests" })).toBeVisible();
  await expect(page.getByText("12 h", { exact: false })).toBeVisible();

  // Narrowing amount to integer is breaking: the form proposes 2.0.0.
  await page.getByRole("link", { name: "Edit" }).click();
  const notice = page.getByRole("status").filter({ hasText: "breaking change" });
  // A choice made before the form hydrates is reset by it (the product page now streams): choose again until it holds.
  await expect(async () => {
    await page.getByLabel("Field 2 type").selectOption("integer");
    await expect(notice).toContainText("field amount changed type from number to integer", { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await notice.getByRole("button", { name: "Use version 2.0.0" }).click();
  await expect(page.getByLabel("Version")).toHaveValue("2.0.0");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("v2.0.0").first()).toBeVisible();
  const versions = page.getByRole("region", { name: "Schema versions" });
  await expect(versions.getByText("Schema version 2")).toBeVisible();
  await expect(versions.getByText("breaking", { exact: true })).toBeVisible();
});
