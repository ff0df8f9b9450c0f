import { describe, expect, it } from "vitest";
import { StagedRows } from "./staging";

describe("StagedRows", () => {
  it("gives its rows back in order, in batches", async () => {
    const staged = await StagedRows.create<number>();
    for (const row of [1, 2, 3, 4, 5]) await staged.add(row);
    const batches: number[][] = [];
    for await (const batch of staged.batches(2)) batches.push(batch);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    await staged.discard();
  });
});
