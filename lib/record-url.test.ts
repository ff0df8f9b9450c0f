import { describe, expect, it } from "vitest";
import { encodeKey, recordApiPath, recordPath, recordsTableHref } from "./record-url";

describe("record URLs", () => {
  it("encode the key as one path segment, shell-safe", () => {
    expect(encodeKey("T-1001")).toBe("T-1001");
    expect(encodeKey("a/b c?d#e%f")).toBe("a%2Fb%20c%3Fd%23e%25f");
    expect(encodeKey("it's (1)*!")).toBe("it%27s%20%281%29%2A%21");
    expect(encodeKey("Grüße")).toBe("Gr%C3%BC%C3%9Fe");
    expect(decodeURIComponent(encodeKey("it's (1)*! a/b"))).toBe("it's (1)*! a/b");
  });

  it("point at the record page and the API", () => {
    expect(recordPath("sales", "orders", "A/1")).toBe("/products/sales/orders/records/A%2F1");
    expect(recordApiPath("sales", "orders", "A/1")).toBe("/api/products/sales/orders/records/A%2F1");
  });

  it("link the records table, leaving defaults out", () => {
    expect(recordsTableHref("sales", "orders", { sort: null, dir: "asc", page: 1 })).toBe("/products/sales/orders#records");
    expect(recordsTableHref("sales", "orders", { sort: "amount", dir: "desc", page: 2 })).toBe(
      "/products/sales/orders?sort=amount&dir=desc&page=2#records",
    );
  });
});
