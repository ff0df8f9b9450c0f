import { expect, test as base } from "@playwright/test";

/**
 * The specs' `test`: every page they open must run under the portal's
 * Content-Security-Policy without a single violation in the browser console.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
      });
      await use(violations);
      expect(violations, "CSP violations in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
