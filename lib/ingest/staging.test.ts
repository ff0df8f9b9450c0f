import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { StagedRows } from "./staging";

describe("StagedRows", () => {
  it("gives back every row in order, in batches, and leaves nothing behind", async () => {
    const staged = await StagedRows.create<{ key: string; data: Record<string, unknown> }>();
    const folder = (staged as unknown as { folder: string }).folder;
    for (let at = 0; at < 1_234; at++) await staged.add({ key: `k${at}`, data: { text: `line\nbreak ${at}`, n: at, ok: at % 2 === 0 } });
    expect(staged.size).toBe(1_234);
    const batches: number[] = [];
    const keys: string[] = [];
    for await (const batch of staged.batches(500)) {
      batches.push(batch.length);
      keys.push(...batch.map((row) => row.key));
      expect(batch[0]!.data.text).toMatch(/^line\nbreak \d+$/);
    }
    expect(batches).toEqual([500, 500, 234]);
    expect(keys).toEqual(Array.from({ length: 1_234 }, (_, at) => `k${at}`));
    await staged.discard();
    expect(existsSync(folder)).toBe(false);
  });

  it("discards without reading", async () => {
    const staged = await StagedRows.create<number>();
    await staged.add(1);
    await staged.discard();
    expect(existsSync((staged as unknown as { folder: string }).folder)).toBe(false);
  });
});
