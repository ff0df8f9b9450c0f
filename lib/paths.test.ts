import { describe, expect, it } from "vitest";
import { catalogPath, encodeKey, recordApiPath, recordPath, recordsTablePath, safeNextPath } from "./paths";

const orders = { domain: "sales", name: "orders" };

describe("record paths", () => {
  it("encode the key as one path segment, shell-safe", () => {
    expect(encodeKey("T-1001")).toBe("T-1001");
    expect(encodeKey("a/b c?d#e%f")).toBe("a%2Fb%20c%3Fd%23e%25f");
    expect(encodeKey("it's (1)*!")).toBe("it%27s%20%281%29%2A%21");
    expect(encodeKey("Grüße")).toBe("Gr%C3%BC%C3%9Fe");
    expect(decodeURIComponent(encodeKey("it's (1)*! a/b"))).toBe("it's (1)*! a/b");
  });

  it("point at the record page and the API", () => {
    expect(recordPath(orders, "A/1")).toBe("/products/sales/orders/records/A%2F1");
    expect(recordApiPath(orders, "A/1")).toBe("/api/products/sales/orders/records/A%2F1");
  });

  it("link the records table, leaving defaults out", () => {
    expect(recordsTablePath(orders, { sort: null, dir: "asc", page: 1 })).toBe("/products/sales/orders#records");
    expect(recordsTablePath(orders, { sort: "amount", dir: "desc", page: 2 })).toBe(
      "/products/sales/orders?sort=amount&dir=desc&page=2#records",
    );
  });
});

describe("catalogPath", () => {
  it("leaves empty and default values out", () => {
    expect(catalogPath({ q: "", mode: "keyword", page: 1 })).toBe("/products");
    expect(catalogPath({ q: "refunds", mode: "meaning" }, { page: 2 })).toBe("/products?q=refunds&mode=meaning&page=2");
  });
});

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
