import { describe, expect, it } from "vitest";
import { bestOfViews, clauseViews } from "./ranking";

describe("clauseViews", () => {
  it("keeps a one-part question whole", () => {
    expect(clauseViews("Which customers are still waiting for their refund?")).toEqual(["Which customers are still waiting for their refund?"]);
  });

  it("adds the clauses of a multi-part question after the whole question", () => {
    const question = "When the trip was cancelled, what did the agency offer, and what did the insurer pay back?";
    expect(clauseViews(question)).toEqual([question, "When the trip was cancelled", "what did the agency offer", "what did the insurer pay back"]);
    expect(clauseViews("Tenants were freezing in January: what did they report and what did the inspection find?")).toEqual([
      "Tenants were freezing in January: what did they report and what did the inspection find?",
      "Tenants were freezing in January",
      "what did they report",
      "what did the inspection find",
    ]);
  });

  it("drops clauses too short to search on their own", () => {
    expect(clauseViews("Refunds - why?")).toEqual(["Refunds - why?"]);
    expect(clauseViews("Which vendor failed the audit, and why?")).toEqual(["Which vendor failed the audit, and why?"]);
  });
});

describe("bestOfViews", () => {
  it("keeps each record's best score over the views, ties by key, top k", () => {
    const whole = [
      { key: "b", score: 0.03, view: "whole" },
      { key: "a", score: 0.02, view: "whole" },
    ];
    const clause = [
      { key: "a", score: 0.05, view: "clause" },
      { key: "c", score: 0.03, view: "clause" },
    ];
    expect(bestOfViews([whole, clause], 3)).toEqual([
      { key: "a", score: 0.05, view: "clause" },
      { key: "b", score: 0.03, view: "whole" },
      { key: "c", score: 0.03, view: "clause" },
    ]);
    expect(bestOfViews([whole, clause], 1).map((match) => match.key)).toEqual(["a"]);
  });
});
