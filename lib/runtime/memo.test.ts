import { describe, expect, it } from "vitest";
import { memoized } from "./memo";

describe("memoized", () => {
  it("runs the work for a key once, shared by callers meanwhile and after", async () => {
    const cached = memoized<number>("memo-test-once", 10);
    let runs = 0;
    const work = async () => ++runs;
    const [a, b] = await Promise.all([cached("k", work), cached("k", work)]);
    expect([a, b, await cached("k", work), runs]).toEqual([1, 1, 1, 1]);
  });

  it("forgets a failure, so that the next caller tries again", async () => {
    const cached = memoized<string>("memo-test-failure", 10);
    await expect(cached("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cached("k", async () => "up")).toBe("up");
  });

  it("drops the least recently used key past its limit", async () => {
    const cached = memoized<string>("memo-test-limit", 2);
    await cached("a", async () => "a1");
    await cached("b", async () => "b1");
    await cached("a", async () => "a2");
    await cached("c", async () => "c1");
    expect(await cached("a", async () => "a3")).toBe("a1");
    expect(await cached("b", async () => "b2")).toBe("b2");
  });
});
