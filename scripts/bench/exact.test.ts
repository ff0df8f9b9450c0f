import { describe, expect, it } from "vitest";
import { ExactIndex } from "./exact";

/** Rows at angles 0°, 10°, …, 80° from the x axis in the plane, scaled differently (cosine ignores length). */
function fan() {
  const keys = Array.from({ length: 9 }, (_, i) => `r${i}`);
  const vectors = new Float32Array(keys.flatMap((_, i) => [(i + 1) * Math.cos((i * 10 * Math.PI) / 180), (i + 1) * Math.sin((i * 10 * Math.PI) / 180), 0]));
  return new ExactIndex(keys, vectors, 3);
}

describe("ExactIndex", () => {
  it("returns the k nearest by cosine, closest first, with 1 − cosine distances", () => {
    const index = fan();
    const near = index.nearest([Math.cos((32 * Math.PI) / 180), Math.sin((32 * Math.PI) / 180), 0], 3);
    expect(near.map((hit) => hit.key)).toEqual(["r3", "r4", "r2"]);
    expect(near[0]!.distance).toBeCloseTo(1 - Math.cos((2 * Math.PI) / 180), 6);
    expect(index.nearest([0, 5, 0], 2).map((hit) => hit.key)).toEqual(["r8", "r7"]);
  });

  it("breaks ties by key and returns all rows when k exceeds them", () => {
    const index = new ExactIndex(["b", "a", "c"], new Float32Array([1, 0, 1, 0, 0, 1]), 2);
    expect(index.nearest([1, 0], 2).map((hit) => hit.key)).toEqual(["a", "b"]);
    expect(index.nearest([1, 0], 10)).toHaveLength(3);
  });

  it("agrees with a sorted full scan on random vectors", () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const keys = Array.from({ length: 300 }, (_, i) => `k${String(i).padStart(3, "0")}`);
    const vectors = new Float32Array(300 * 16).map(random);
    const index = new ExactIndex(keys, vectors, 16);
    const query = Array.from({ length: 16 }, random);
    const sorted = keys.map((key) => ({ key, distance: index.distance(query, key) })).sort((a, b) => a.distance - b.distance);
    expect(index.nearest(query, 10).map((hit) => hit.key)).toEqual(sorted.slice(0, 10).map((hit) => hit.key));
  });

  it("measures the exact distance of any key and refuses bad input", () => {
    const index = fan();
    expect(index.distance([1, 0, 0], "r0")).toBeCloseTo(0, 6);
    expect(index.distance([0, 1, 0], "r0")).toBeCloseTo(1, 6);
    expect(() => index.distance([1, 0, 0], "nope")).toThrow(/No vector/);
    expect(() => index.nearest([1, 0], 1)).toThrow(/dimensions/);
    expect(() => index.nearest([0, 0, 0], 1)).toThrow(/zeros/);
    expect(() => new ExactIndex(["a"], new Float32Array(4), 3)).toThrow(/Expected/);
    expect(() => new ExactIndex(["a", "a"], new Float32Array([1, 0, 0, 1]), 2)).toThrow(/repeat/);
  });
});
