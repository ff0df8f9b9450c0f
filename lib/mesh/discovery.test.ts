import { describe, expect, it } from "vitest";
import { descriptionText, matchReasons, schemaText } from "./discovery";

describe("descriptionText", () => {
  it("joins title, description, the domain in words and the tags", () => {
    expect(descriptionText({ title: "Orders", description: "Every web shop order.", domain: "sales-ops", name: "orders", tags: ["retail", "daily"] })).toBe(
      "Orders. Every web shop order. Domain: sales ops. Tags: retail, daily.",
    );
  });

  it("leaves out tags when there are none", () => {
    expect(descriptionText({ title: "Orders", description: "", domain: "sales", name: "orders", tags: [] })).toMatch(/^Orders\.\s+Domain: sales\.$/);
  });
});

describe("schemaText", () => {
  it("lists field names in words with their descriptions", () => {
    expect(
      schemaText({
        title: "Orders",
        schema: {
          primaryKey: "order_id",
          fields: [
            { name: "order_id", type: "string", required: true, description: "", pii: false },
            { name: "total_amount", type: "number", required: false, description: "Gross total in EUR", pii: false },
          ],
        },
      }),
    ).toBe("Orders records with order id; total amount: Gross total in EUR");
  });
});

describe("matchReasons", () => {
  it("explains a meaning match by the kind of vector, with the similarity", () => {
    expect(matchReasons({ similarity: 0.8123, bestKind: "description", textRank: null, status: "active" })).toEqual(["meaning close to its description and tags (similarity 0.81)"]);
    expect(matchReasons({ similarity: 0.5, bestKind: "schema", textRank: null, status: "active" })).toEqual(["meaning close to its schema fields (similarity 0.50)"]);
    expect(matchReasons({ similarity: 0.456, bestKind: "records", textRank: null, status: "draft" })).toEqual(["meaning close to its record contents (similarity 0.46)"]);
  });

  it("adds keyword matches and the deprecation", () => {
    expect(matchReasons({ similarity: 0.3, bestKind: "records", textRank: 2, status: "deprecated" })).toEqual([
      "meaning close to its record contents (similarity 0.30)",
      "keywords in its metadata (rank 2)",
      "deprecated: ranked last",
    ]);
    expect(matchReasons({ similarity: null, bestKind: null, textRank: 1, status: "active" })).toEqual(["keywords in its metadata (rank 1)"]);
    expect(matchReasons({ similarity: null, bestKind: null, textRank: null, status: "deprecated" })).toEqual(["deprecated: ranked last"]);
  });
});
