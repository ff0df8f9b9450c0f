import { expect, test } from "./fixtures";
import { ANALYST, OWNER, signIn } from "./sign-in";

test("a visitor is sent to the sign-in page, and a wrong password is refused", async ({ page }) => {
  await page.goto("/products/customer-support/support-tickets");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fproducts%2Fcustomer-support%2Fsupport-tickets$/);
  await expect(page.getByRole("heading", { name: "Demo accounts" })).toBeVisible();
  expect((await page.request.get("/api/products")).status()).toBe(401);

  await page.getByLabel("Email").fill(ANALYST.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();

  // The right one returns to the page asked for.
  await page.getByLabel("Password").fill(ANALYST.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/products\/customer-support\/support-tickets$/);
});

test("the owner registers a product in their domain; the analyst sees it but cannot change it", async ({ page, browser }) => {
  const name = `e2e-auth-${Date.now().toString(36)}`;
  await signIn(page, OWNER);
  await page.getByRole("link", { name: "Register data product" }).click();
  // The catalog has a "Domain" filter too: wait for the form before filling it.
  await expect(page.getByRole("heading", { name: "Register a data product" })).toBeVisible();
  await page.getByLabel("Domain").fill("customer-support");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Title").fill("Callback Requests");
  await page.getByLabel("Owner (email)").fill("support-data@example.com");
  await page.getByLabel("Field 1 name").fill("request_id");
  await page.getByRole("button", { name: "Register product" }).click();
  await expect(page).toHaveURL(new RegExp(`/products/customer-support/${name}$`));
  await expect(page.getByRole("link", { name: "Edit" })).toBeVisible();
  const history = page.getByRole("region", { name: "Change history" });
  await expect(history.getByText(`${OWNER.email} registered the product`)).toBeVisible();

  // A domain the owner does not own is refused by the server.
  const foreign = await page.request.patch("/api/products/hr/job-postings", { data: { title: "Not mine" } });
  expect(foreign.status()).toBe(403);

  const analystContext = await browser.newContext();
  const analyst = await analystContext.newPage();
  await signIn(analyst, ANALYST);
  await expect(analyst.getByRole("link", { name: "Register data product" })).toHaveCount(0);
  await expect(analyst.getByRole("article").filter({ hasText: "Callback Requests" })).toBeVisible();
  await analyst.getByRole("link", { name: "Callback Requests" }).click();
  await expect(analyst.getByRole("heading", { level: 1, name: "Callback Requests" })).toBeVisible();
  await expect(analyst.getByRole("link", { name: "Edit" })).toHaveCount(0);

  // Direct writes with the analyst's session are refused, and nothing changes.
  const post = await analyst.request.post("/api/products", {
    data: {
      domain: "customer-support",
      name: `${name}-2`,
      title: "Sneaky",
      owner: "a@example.com",
      schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }] },
    },
  });
  expect(post.status()).toBe(403);
  expect((await post.json()).code).toBe("forbidden");
  const patch = await analyst.request.patch(`/api/products/customer-support/${name}`, { data: { title: "Hijacked" } });
  expect(patch.status()).toBe(403);
  expect((await analyst.request.get(`/api/products/customer-support/${name}`)).status()).toBe(200);
  expect((await (await analyst.request.get(`/api/products/customer-support/${name}`)).json()).title).toBe("Callback Requests");
  expect((await analyst.request.get(`/api/products/customer-support/${name}-2`)).status()).toBe(404);

  await analyst.goto(`/products/customer-support/${name}/edit`);
  await expect(analyst.getByText("Only the owners of the domain customer-support and admins may change this product.")).toBeVisible();

  // Sign out from the account menu.
  await analyst.getByLabel(/Account menu/).click();
  await analyst.getByRole("button", { name: "Sign out" }).click();
  await expect(analyst).toHaveURL(/\/sign-in/);
  expect((await analyst.request.get("/api/products")).status()).toBe(401);
  await analystContext.close();
});

test("an API key created on the settings page works until it is revoked", async ({ page, request }) => {
  await signIn(page, OWNER);
  await page.goto("/settings");
  await page.getByLabel("Name", { exact: true }).fill("e2e script");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByLabel("New API key").textContent())!.trim();
  expect(key).toMatch(/^mp_/);

  const headers = { authorization: `Bearer ${key}` };
  expect((await request.get("/api/keys", { headers })).status()).toBe(200);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Revoke e2e script" }).click();
  await expect(page.getByRole("button", { name: "Revoke e2e script" })).toHaveCount(0);
  expect((await request.get("/api/keys", { headers })).status()).toBe(401);
});
