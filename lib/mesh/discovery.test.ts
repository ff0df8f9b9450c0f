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
  const none = { record: null, description: null, text: null, words: null };

  it("names each signal that found the product, with its figure and rank", () => {
    expect(
      matchReasons(
        {
          record: { key: "T-1002", similarity: 0.6123, rank: 1 },
          description: { similarity: 0.456, rank: 3 },
          text: { bm25: 7.25, rank: 2 },
          words: { bm25: 5.5, rank: 1 },
        },
        "active",
      ),
    ).toEqual([
      "record T-1002 close in meaning (similarity 0.61, rank 1)",
      "description close in meaning (similarity 0.46, rank 3)",
      "keywords in its records and metadata (BM25 7.3, rank 2)",
      "the question's own words in its records and metadata (BM25 5.5, rank 1)",
    ]);
    expect(matchReasons({ ...none, text: { bm25: 1, rank: 1 } }, "active")).toEqual(["keywords in its records and metadata (BM25 1.0, rank 1)"]);
  });

  it("says the keywords matched its metadata alone when its records are hidden from the reader", () => {
    expect(matchReasons({ ...none, text: { bm25: 2, rank: 4 }, words: { bm25: 1, rank: 3 } }, "active", true)).toEqual([
      "keywords in its metadata (BM25 2.0, rank 4)",
      "the question's own words in its metadata (BM25 1.0, rank 3)",
    ]);
  });

  it("adds the deprecation", () => {
    expect(matchReasons({ ...none, description: { similarity: 0.3, rank: 5 } }, "deprecated")).toEqual([
      "description close in meaning (similarity 0.30, rank 5)",
      "deprecated: ranked last",
    ]);
    expect(matchReasons(none, "deprecated")).toEqual(["deprecated: ranked last"]);
  });
});
