import { expect, test } from "./fixtures";
import { ADMIN, signIn } from "./sign-in";

/**
 * Every page is served with a nonce-based Content-Security-Policy and still
 * works: its scripts run (the theme toggle reacts, which needs hydration), and
 * the fixture fails the test on any CSP violation in the console.
 */
const PAGES = [
  "/products",
  "/products?mode=meaning&q=refunds",
  "/products/new",
  "/products/payments/chargeback-cases",
  "/products/payments/chargeback-cases/edit",
  "/chat",
  "/settings",
  "/notifications",
  "/admin",
  "/products/no-such/product",
];

test("every page runs under the nonce-based CSP, with the security headers", async ({ page }) => {
  const signInPage = await page.goto("/sign-in");
  expect(signInPage?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  await signIn(page, ADMIN);
  const nonces = new Set<string>();
  for (const path of PAGES) {
    const response = await page.goto(path);
    const headers = response!.headers();
    const nonce = /'nonce-([^']+)'/.exec(headers["content-security-policy"] ?? "")?.[1];
    expect(nonce, path).toBeTruthy();
    nonces.add(nonce!);
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    // Hydrated: the theme toggle's client code runs and switches the theme (a click before hydration is lost: click again).
    const toggle = page.getByRole("button", { name: /theme \(switch to/ });
    await expect(async () => {
      const before = await toggle.getAttribute("aria-label");
      await toggle.click();
      await expect(toggle, path).not.toHaveAttribute("aria-label", before!, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  }
  expect(nonces.size).toBe(PAGES.length);
});

test("an inline script without the nonce, as an injection would add, is refused by the browser", async ({ page, cspViolations }) => {
  // The sign-in page as served (its CSP header included), with a script slipped into the HTML.
  await page.route("**/sign-in", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace("</body>", "<script>window.__injected = true</script></body>");
    await route.fulfill({ response, body: html });
  });
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  await expect.poll(() => cspViolations.some((text) => /inline script/i.test(text) && text.includes("script-src"))).toBe(true);
  // Seen, and expected here: the fixture's check is for the pages' own scripts.
  cspViolations.length = 0;
});

test("API responses carry a policy that lets nothing run, and a NUL in a path is a 400", async ({ request }) => {
  const response = await request.get("/api/openapi.json");
  expect(response.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  const nul = await request.get("/api/products/payments/chargeback-cases%00");
  expect(nul.status()).toBe(400);
  expect(await nul.json()).toEqual({ error: 'The URL path segment "chargeback-cases%00" contains a NUL character (%00)', code: "bad_request" });
  const page = await request.get("/products/payments/chargeback-cases%00");
  expect(page.status()).toBe(400);
});
