import { expect, test as base, type Page } from "@playwright/test";

/** Collects into `violations` every Content-Security-Policy violation `page` reports in its console. */
export function collectCspViolations(page: Page, violations: string[]): void {
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
  });
}

/**
 * The specs' `test`: every page they open must run under the portal's
 * Content-Security-Policy without a single violation in the browser console.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = [];
      collectCspViolations(page, violations);
      await use(violations);
      expect(violations, "CSP violations in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
