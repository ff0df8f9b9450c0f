import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("safeNextPath", () => {
  it("keeps same-site paths", () => {
    expect(safeNextPath("/products/payments/chargeback-cases?x=1")).toBe("/products/payments/chargeback-cases?x=1");
  });

  it("turns other sites, protocol-relative URLs and junk into the catalog", () => {
    for (const next of ["https://evil.example", "//evil.example", "/\\evil.example", "products", undefined, ["/a"]]) {
      expect(safeNextPath(next)).toBe("/products");
    }
  });
});
