import { describe, expect, it } from "vitest";
import { calibrate, isRelevant, relevanceScore } from "./relevance";

describe("isRelevant", () => {
  const thresholds = { similarity: 0.5, lexical: 0.2 };
  it("accepts a record that reaches either signal's threshold", () => {
    expect(isRelevant({ similarity: 0.5, lexical: null }, thresholds)).toBe(true);
    expect(isRelevant({ similarity: 0.1, lexical: 0.2 }, thresholds)).toBe(true);
    expect(isRelevant({ similarity: null, lexical: 0.35 }, thresholds)).toBe(true);
  });
  it("refuses one below both", () => {
    expect(isRelevant({ similarity: 0.49, lexical: 0.19 }, thresholds)).toBe(false);
    expect(isRelevant({ similarity: null }, thresholds)).toBe(false);
  });
});

describe("calibrate", () => {
  it("finds thresholds that separate relevant from irrelevant observations on either signal", () => {
    const observations = [
      { similarity: 0.7, lexical: 0, relevant: true },
      { similarity: 0.2, lexical: 0.6, relevant: true },
      { similarity: 0.4, lexical: 0.1, relevant: false },
      { similarity: 0.35, lexical: 0.3, relevant: false },
      { similarity: null, lexical: null, relevant: false },
    ];
    const { thresholds, f1, precision, recall } = calibrate(observations);
    expect(f1).toBe(1);
    expect(precision).toBe(1);
    expect(recall).toBe(1);
    expect(thresholds.similarity).toBeGreaterThan(0.4);
    expect(thresholds.similarity).toBeLessThanOrEqual(0.7);
    expect(thresholds.lexical).toBeGreaterThan(0.3);
    expect(thresholds.lexical).toBeLessThanOrEqual(0.6);
  });

  it("scores a decision by F1 over the relevant observations", () => {
    const observations = [
      { similarity: 0.9, relevant: true },
      { similarity: 0.8, relevant: false },
      { similarity: 0.1, relevant: true },
    ];
    expect(relevanceScore(observations, { similarity: 0.5, lexical: Infinity })).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5 });
  });
});
