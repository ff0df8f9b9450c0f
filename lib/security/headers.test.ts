import { describe, expect, it } from "vitest";
import { newNonce, pagePolicy, pathProblem } from "./headers";

describe("pagePolicy", () => {
  it("lets scripts run only with the nonce, and nothing frame the page", () => {
    const policy = pagePolicy("abc123");
    const directives = new Map(policy.split("; ").map((directive) => [directive.split(" ")[0], directive]));
    expect(directives.get("script-src")).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(directives.get("style-src")).toBe("style-src 'self' 'nonce-abc123'");
    expect(directives.get("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directives.get("object-src")).toBe("object-src 'none'");
    expect(policy).not.toContain("unsafe-eval");
    expect(directives.get("script-src")).not.toContain("unsafe-inline");
  });

  it("adds eval and websockets in development only", () => {
    expect(pagePolicy("n", true)).toContain("'unsafe-eval'");
    expect(pagePolicy("n", true)).toContain("connect-src 'self' ws: wss:");
  });
});

describe("newNonce", () => {
  it("is fresh each time and fits a CSP nonce source", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("pathProblem", () => {
  it("refuses NUL and escapes that are not UTF-8, naming the segment", () => {
    expect(pathProblem("/api/products/a/b%00")).toBe('The URL path segment "b%00" contains a NUL character (%00)');
    expect(pathProblem("/products/x/y/records/%E0%A4%A")).toBe('The URL path segment "%E0%A4%A" is not valid percent-encoded UTF-8');
    expect(pathProblem("/products/x/y/records/%FF")).toMatch(/not valid percent-encoded UTF-8/);
  });

  it("accepts ordinary and encoded paths", () => {
    for (const path of ["/", "/products/payments/chargebacks", "/products/a/b/records/INV%2F2026%20%C3%A9", "/api/openapi.json"]) {
      expect(pathProblem(path), path).toBeUndefined();
    }
  });
});
