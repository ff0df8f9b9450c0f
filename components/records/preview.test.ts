import { describe, expect, it } from "vitest";
import { PREVIEW_BYTES, previewFile } from "./preview";

const file = (text: string, name: string) => new File([text], name);

describe("previewFile", () => {
  it("shows the header and first rows of a CSV file", async () => {
    const rows = Array.from({ length: 8 }, (_, index) => `${index},"name, ${index}",`).join("\n");
    const preview = await previewFile(file(`\uFEFFid,name,note\n${rows}\n`, "orders.csv"));
    expect(preview.format).toBe("csv");
    expect(preview.columns).toEqual(["id", "name", "note"]);
    expect(preview.rows).toHaveLength(5);
    expect(preview.rows[1]).toEqual({ index: 1, cells: { id: "1", name: "name, 1", note: "" } });
  });

  it("reads only the head of a large file, ending on a whole line", async () => {
    const line = `${"x".repeat(1000)},1\n`;
    const big = `text,count\n${line.repeat(Math.ceil((PREVIEW_BYTES * 3) / line.length))}`;
    const preview = await previewFile(file(big, "big.csv"));
    expect(preview.rows).toHaveLength(5);
    expect(preview.problem).toBeUndefined();

    const array = `[${Array.from({ length: 2000 }, (_, id) => JSON.stringify({ id, text: "é".repeat(40) })).join(",")}]`;
    const json = await previewFile(file(array, "big.json"));
    expect(json.rows).toHaveLength(5);
    expect(json.problem).toBeUndefined();
  });

  it("shows JSON array and NDJSON rows with the union of their fields, and rows that are not objects", async () => {
    const preview = await previewFile(file('[{"id":1,"ok":true},{"id":2,"extra":{"a":1}}, 7, {"id": x}]', "rows.json"));
    expect(preview.format).toBe("json");
    expect(preview.columns).toEqual(["id", "ok", "extra"]);
    expect(preview.rows[1]).toEqual({ index: 1, cells: { id: "2", extra: '{"a":1}' } });
    expect(preview.rows[2]).toEqual({ index: 2, problem: "not an object of fields: 7" });
    expect(preview.rows[3]).toMatchObject({ index: 3, problem: expect.stringMatching(/^malformed JSON value/) });

    const lines = await previewFile(file('{"id":1}\n{"id":2}\n', "rows.jsonl"));
    expect(lines).toEqual({ format: "ndjson", columns: ["id"], rows: [{ index: 0, cells: { id: "1" } }, { index: 1, cells: { id: "2" } }] });
  });

  it("detects the format from the content when the extension does not tell", async () => {
    expect((await previewFile(file('[{"id":1}]', "export.txt"))).format).toBe("json");
    expect((await previewFile(file('{"id":1}', "export"))).format).toBe("ndjson");
    expect((await previewFile(file("id\n1\n", "export.dat"))).format).toBe("csv");
  });

  it("reports what it cannot read", async () => {
    expect((await previewFile(file('{"id":1}', "rows.json"))).problem).toMatch(/before the array/);
    expect((await previewFile(file("id,name\n1\n", "rows.csv"))).problem).toMatch(/Invalid Record Length/);
  });
});
