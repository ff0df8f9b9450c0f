import { describe, expect, it } from "vitest";
import { QueueFull, withKeyedLimit } from "./concurrency";

/** A work that runs until `release` is called, recording that it started. */
function held(started: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { release, work: async () => (started.push(name), await done, name) };
}

describe("withKeyedLimit", () => {
  it("runs at most `limit` works of a key at once, the others in the order they came", async () => {
    const started: string[] = [];
    const works = ["a", "b", "c", "d"].map((name) => held(started, name));
    const results = works.map(({ work }) => withKeyedLimit("limit-test", 2, work));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual(["a", "b"]);
    works[1]!.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual(["a", "b", "c"]);
    works.forEach(({ release }) => release());
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d"]);
  });

  it("refuses a work at once when `queue` works of its key are already waiting, and takes one again once a place frees", async () => {
    const started: string[] = [];
    const [running, waiting] = [held(started, "running"), held(started, "waiting")];
    const first = withKeyedLimit("queue-test", 1, running.work, 1);
    const second = withKeyedLimit("queue-test", 1, waiting.work, 1);
    await expect(withKeyedLimit("queue-test", 1, async () => "refused", 1)).rejects.toBeInstanceOf(QueueFull);
    // Another key is not affected.
    expect(await withKeyedLimit("queue-test-other", 1, async () => "other", 1)).toBe("other");
    running.release();
    await first;
    const third = withKeyedLimit("queue-test", 1, async () => "third", 1);
    waiting.release();
    expect(await Promise.all([second, third])).toEqual(["waiting", "third"]);
  });

  it("frees the place of a work that failed", async () => {
    await expect(withKeyedLimit("failure-test", 1, () => Promise.reject(new Error("down")), 0)).rejects.toThrow("down");
    expect(await withKeyedLimit("failure-test", 1, async () => "next", 0)).toBe("next");
  });
});
