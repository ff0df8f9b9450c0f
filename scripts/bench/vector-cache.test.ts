import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VectorCache } from "./vector-cache";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-cache-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("VectorCache", () => {
  it("stores vectors by model and text and finds them after reopening", () => {
    const dir = tempDir();
    const cache = new VectorCache(dir, "local/use-lite", 3);
    cache.add([
      { text: "a", vector: [1, 2, 3] },
      { text: "b", vector: [4, 5, 6] },
      { text: "a", vector: [9, 9, 9] },
    ]);
    cache.add([{ text: "c", vector: [7, 8, 9] }]);
    expect(cache.size).toBe(3);
    const reopened = new VectorCache(dir, "local/use-lite", 3);
    expect(reopened.size).toBe(3);
    expect(Array.from(reopened.get("a")!)).toEqual([1, 2, 3]);
    expect(Array.from(reopened.get("c")!)).toEqual([7, 8, 9]);
    expect(reopened.get("d")).toBeUndefined();
    expect(new VectorCache(dir, "other/model", 3).get("a")).toBeUndefined();
  });

  it("cuts off a torn tail left by a run that died while appending", () => {
    const dir = tempDir();
    const cache = new VectorCache(dir, "m", 2);
    cache.add([{ text: "a", vector: [1, 2] }]);
    appendFileSync(cache.vectorsPath, new Uint8Array(new Float32Array([3, 4, 5]).buffer));
    appendFileSync(cache.keysPath, "abc");
    const reopened = new VectorCache(dir, "m", 2);
    expect(reopened.size).toBe(1);
    reopened.add([{ text: "b", vector: [5, 6] }]);
    const again = new VectorCache(dir, "m", 2);
    expect(Array.from(again.get("a")!)).toEqual([1, 2]);
    expect(Array.from(again.get("b")!)).toEqual([5, 6]);
  });
});
