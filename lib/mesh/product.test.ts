import { describe, expect, it } from "vitest";
import { buildSearchText, deletionDecision, productAddress, searchTerms } from "./product";

const product = {
  domain: "customer-support",
  name: "support-tickets",
  title: "Support Tickets",
  description: "Every ticket opened by a CUSTOMER",
  tags: ["tickets", "sla-tracking"],
  schema: {
    primaryKey: "ticket_id",
    fields: [
      { name: "ticket_id", type: "string" as const, required: true, description: "", pii: false },
      { name: "Customer_Email", type: "string" as const, required: false, description: "Who Opened It", pii: true },
    ],
  },
};

describe("productAddress", () => {
  it("is domain/name", () => {
    expect(productAddress(product)).toBe("customer-support/support-tickets");
  });
});

describe("buildSearchText", () => {
  const text = buildSearchText(product);

  it("contains domain, name, title, description, tags, field names and field descriptions, lower-cased", () => {
    expect(text).toBe(
      "customer-support support-tickets support tickets every ticket opened by a customer tickets sla-tracking ticket_id customer_email who opened it",
    );
  });

  it("lets every search term of a field name or tag match", () => {
    for (const term of searchTerms("Customer_Email SLA-Tracking")) expect(text).toContain(term);
  });

  it("skips empty parts instead of leaving double spaces", () => {
    const bare = buildSearchText({ ...product, description: "", tags: [] });
    expect(bare).not.toMatch(/ {2}/);
    expect(bare.startsWith("customer-support support-tickets support tickets ticket_id")).toBe(true);
  });
});

describe("searchTerms", () => {
  it("returns no terms for an empty or missing query", () => {
    expect(searchTerms(undefined)).toEqual([]);
    expect(searchTerms("")).toEqual([]);
    expect(searchTerms("   \t ")).toEqual([]);
  });

  it("splits on whitespace, lower-cases and removes duplicates", () => {
    expect(searchTerms("  Tickets\tSLA  tickets\nCustomer ")).toEqual(["tickets", "sla", "customer"]);
  });

  it("keeps at most 10 terms", () => {
    const terms = searchTerms(Array.from({ length: 15 }, (_, i) => `t${i}`).join(" "));
    expect(terms).toHaveLength(10);
    expect(terms[9]).toBe("t9");
  });
});

describe("deletionDecision", () => {
  it("allows deleting a product without records", () => {
    expect(deletionDecision(0, "active")).toEqual({ allowed: true });
    expect(deletionDecision(0, "deprecated")).toEqual({ allowed: true });
  });

  it("refuses a product with records and suggests deprecating it", () => {
    expect(deletionDecision(1, "active")).toEqual({
      allowed: false,
      reason: "This product holds 1 record and cannot be deleted. Deprecate it instead.",
    });
    expect(deletionDecision(26, "draft")).toEqual({
      allowed: false,
      reason: "This product holds 26 records and cannot be deleted. Deprecate it instead.",
    });
  });

  it("says so when the product is already deprecated", () => {
    const decision = deletionDecision(2, "deprecated");
    expect(decision.allowed).toBe(false);
    expect(!decision.allowed && decision.reason).toBe(
      "This product holds 2 records and cannot be deleted. It is already deprecated.",
    );
  });
});
