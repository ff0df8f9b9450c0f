import { describe, expect, it } from "vitest";
import { describeAudit, diffFields, updateAction } from "./audit";

describe("diffFields", () => {
  const before = { title: "A", tags: ["x"], sla: { freshnessHours: 24, retentionDays: 30 }, status: "active" };

  it("lists each changed field with its old and new value", () => {
    const after = { ...before, title: "B", tags: ["x", "y"] };
    expect(diffFields(before, after, ["title", "tags", "sla", "status"])).toEqual({
      title: { from: "A", to: "B" },
      tags: { from: ["x"], to: ["x", "y"] },
    });
  });

  it("ignores object key order and unchanged fields", () => {
    const after = { ...before, sla: { retentionDays: 30, freshnessHours: 24 } };
    expect(diffFields(before, after, ["title", "tags", "sla", "status"])).toEqual({});
  });

  it("records a missing value as null", () => {
    expect(diffFields<{ note?: string }>({}, { note: "new" }, ["note"])).toEqual({ note: { from: null, to: "new" } });
  });
});

describe("updateAction and describeAudit", () => {
  it("calls a move to deprecated a deprecation", () => {
    expect(updateAction({ status: { from: "active", to: "deprecated" } })).toBe("product.deprecated");
    expect(updateAction({ status: { from: "draft", to: "active" } })).toBe("product.updated");
    expect(updateAction({ title: { from: "a", to: "b" } })).toBe("product.updated");
  });

  it("says in words what happened", () => {
    expect(describeAudit("product.created", {})).toBe("registered the product");
    expect(describeAudit("records.purged", { records: { from: 12, to: 0 } })).toBe("purged 12 records past retention");
    expect(describeAudit("records.purged", { records: { from: 1, to: 0 } })).toBe("purged 1 record past retention");
    expect(describeAudit("product.updated", { title: { from: 1, to: 2 }, sla: { from: 1, to: 2 } })).toBe("changed title, sla");
    expect(describeAudit("product.deprecated", { status: { from: "active", to: "deprecated" } })).toBe("deprecated the product");
    expect(describeAudit("product.deprecated", { status: { from: "a", to: "deprecated" }, title: { from: 1, to: 2 } })).toBe(
      "deprecated the product and changed title",
    );
    expect(describeAudit("capability.enabled", { "semantic-search": { from: false, to: true } })).toBe("enabled semantic-search");
  });
});
