import { describe, expect, it } from "vitest";
import { markdownTable, multisetRecallAtK, parseSizes, percentile, recallAtK, summarize, tieAwareRecallAtK } from "./stats";

describe("percentile", () => {
  it("interpolates between closest ranks", () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 100)).toBe(5);
    expect(percentile([10, 20], 95)).toBeCloseTo(19.5);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBeCloseTo(95.05);
  });
  it("is NaN for no values and rejects bad percentiles", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
  it("does not reorder its input", () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe("recall", () => {
  it("counts the exact top-k keys found among the approximate top-k", () => {
    expect(recallAtK(["a", "b", "c"], ["a", "b", "c"], 3)).toBe(1);
    expect(recallAtK(["a", "x", "c", "b"], ["a", "b", "c"], 3)).toBeCloseTo(2 / 3);
    expect(recallAtK([], ["a"], 10)).toBe(0);
    expect(recallAtK(["a"], [], 10)).toBeNaN();
  });
  it("accepts equally distant substitutes when tie-aware", () => {
    expect(tieAwareRecallAtK([0.1, 0.2, 0.3], 0.3, 3)).toBe(1);
    expect(tieAwareRecallAtK([0.1, 0.2, 0.31], 0.3, 3)).toBeCloseTo(2 / 3);
    expect(tieAwareRecallAtK([0.1], 0.3, 2)).toBe(0.5);
  });
});

describe("formatting and arguments", () => {
  it("renders a Markdown table", () => {
    expect(markdownTable(["a", "b"], [["1", "x|y"]])).toBe("| a | b |\n| --- | --- |\n| 1 | x\\|y |");
  });
  it("parses sizes", () => {
    expect(parseSizes("1000, 10k,100000")).toEqual([1000, 10000, 100000]);
    expect(() => parseSizes("ten")).toThrow();
  });
});

describe("multisetRecallAtK", () => {
  it("counts each repeated label as often as the exact list holds it", () => {
    expect(multisetRecallAtK(["x", "x", "y"], ["x", "y", "z"], 3)).toBeCloseTo(2 / 3);
    expect(multisetRecallAtK(["x", "x", "y"], ["x", "x", "y"], 3)).toBe(1);
    expect(multisetRecallAtK(["a", "b"], ["c", "d"], 2)).toBe(0);
  });
  it("looks at the first k of each list only, and is NaN without truth", () => {
    expect(multisetRecallAtK(["z", "a"], ["a", "z"], 1)).toBe(0);
    expect(multisetRecallAtK(["a"], ["a", "b", "c"], 2)).toBe(0.5);
    expect(multisetRecallAtK(["a"], [], 10)).toBeNaN();
  });
});
