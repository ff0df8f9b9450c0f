import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { formatOf, readRows, type Row, type UploadFormat } from "./parse";
import { formatOfFileName, sniffFormat } from "./rows";

const encoder = new TextEncoder();

/** The body as chunks of `size` bytes: small sizes cut tokens and UTF-8 characters apart. */
async function* chunked(text: string | Uint8Array, size = Infinity): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  for (let start = 0; start < bytes.length; start += size) yield bytes.slice(start, start + size);
}

async function rows(text: string | Uint8Array, format: UploadFormat, size?: number): Promise<Row[]> {
  const result: Row[] = [];
  for await (const row of readRows(chunked(text, size), format)) result.push(row);
  return result;
}

const values = (result: Row[]) => result.map((row) => ("value" in row ? row.value : { error: row.error }));

async function failure(text: string, format: UploadFormat): Promise<AppError> {
  try {
    await rows(text, format);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("bad_request");
    return error as AppError;
  }
  throw new Error("expected the load to fail");
}

describe("formatOf", () => {
  it("maps content types to formats, ignoring parameters and case", () => {
    expect(formatOf("application/json; charset=utf-8")).toBe("json");
    expect(formatOf("Application/X-NDJSON")).toBe("ndjson");
    expect(formatOf("application/jsonl")).toBe("ndjson");
    expect(formatOf("text/csv;header=present")).toBe("csv");
    expect(formatOf("text/plain")).toBeUndefined();
    expect(formatOf(null)).toBeUndefined();
  });
});

describe("file formats", () => {
  it("come from the extension", () => {
    expect(formatOfFileName("orders.CSV")).toBe("csv");
    expect(formatOfFileName("/tmp/a.b/orders.ndjson")).toBe("ndjson");
    expect(formatOfFileName("orders.jsonl")).toBe("ndjson");
    expect(formatOfFileName("orders.json")).toBe("json");
    expect(formatOfFileName("orders.txt")).toBeUndefined();
    expect(formatOfFileName("json")).toBeUndefined();
  });

  it("or from the first characters", () => {
    expect(sniffFormat('\uFEFF  [{"a":1}]')).toBe("json");
    expect(sniffFormat('\n{"a":1}\n{"a":2}')).toBe("ndjson");
    expect(sniffFormat("id,amount\n1,2")).toBe("csv");
  });
});

describe("JSON array", () => {
  const tricky = [
    { id: "a", nested: { list: [1, [2, { deep: true }]], empty: {} } },
    { id: "b", text: 'brackets ] [ } { and, commas, "quotes" and \\ backslashes \\"' },
    { id: "c", unicode: "Grüße, 東京, emoji 🚀, escaped \u00e9" },
    { id: "d", text: "\\" },
  ];
  const document = `  [\n${tricky.map((item) => JSON.stringify(item)).join(" ,\n ")}\n]\n`;

  it("splits elements with nested values and strings full of structure", async () => {
    expect(values(await rows(document, "json"))).toEqual(tricky);
  });

  it("gives the same rows whatever the chunk boundaries, even inside multi-byte characters", async () => {
    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect(values(await rows(document, "json", size))).toEqual(tricky);
    }
  });

  it("numbers the elements from 0 and yields primitives for the schema check to reject", async () => {
    const result = await rows('[{"a":1}, 42, "text", null, [1,2]]', "json");
    expect(result.map((row) => row.index)).toEqual([0, 1, 2, 3, 4]);
    expect(values(result)).toEqual([{ a: 1 }, 42, "text", null, [1, 2]]);
  });

  it("reports a malformed element as a row and goes on", async () => {
    const result = await rows('[{"a":1}, {"a": tru}, {"a":3}]', "json");
    expect(result).toHaveLength(3);
    expect(result[1]).toMatchObject({ index: 1, error: expect.stringMatching(/^malformed JSON value: /) });
    expect(values([result[0]!, result[2]!])).toEqual([{ a: 1 }, { a: 3 }]);
  });

  it("accepts an empty array and a byte-order mark", async () => {
    expect(await rows("[ ]", "json")).toEqual([]);
    expect(values(await rows('\uFEFF[{"a":1}]', "json"))).toEqual([{ a: 1 }]);
  });

  it("fails the whole load on a broken array", async () => {
    expect((await failure("", "json")).message).toBe("The request body is empty; send an array of records");
    expect((await failure('{"a":1}', "json")).message).toBe('Malformed JSON: found "{" before the array; expected an array of records');
    expect((await failure('[{"a":1}', "json")).message).toMatch(/the array is not closed/);
    expect((await failure('[{"a":1},', "json")).message).toMatch(/the array is not closed/);
    expect((await failure('[{"a":"]', "json")).message).toMatch(/the array is not closed/);
    expect((await failure('[{"a":1}] x', "json")).message).toMatch(/content after the closing \]/);
    expect((await failure('[{"a":1} {"a":2}]', "json")).message).toMatch(/a comma is missing after record 0/);
    expect((await failure('[{"a":1},,{"a":2}]', "json")).message).toMatch(/a value is missing after record 0/);
    expect((await failure('[{"a":1},]', "json")).message).toMatch(/a value is missing after record 0/);
    expect((await failure('[,{"a":1}]', "json")).message).toMatch(/found "," before the first record/);
  });
});

describe("NDJSON", () => {
  it("reads one value per line, skipping blank lines, with CRLF and a last line without newline", async () => {
    const result = await rows('{"a":1}\r\n\n  \n{"a":"x\\ny"}\r\n{"a":3}', "ndjson");
    expect(values(result)).toEqual([{ a: 1 }, { a: "x\ny" }, { a: 3 }]);
    expect(result.map((row) => row.index)).toEqual([0, 1, 2]);
  });

  it("reports a malformed line as a row and goes on", async () => {
    const result = await rows('{"a":1}\n{"a":\n{"a":3}\n', "ndjson");
    expect(result[1]).toMatchObject({ index: 1, error: expect.stringMatching(/^malformed JSON line: /) });
    expect(values([result[0]!, result[2]!])).toEqual([{ a: 1 }, { a: 3 }]);
  });

  it("is independent of chunk boundaries", async () => {
    const text = '{"city":"Zürich 🚀"}\n{"city":"東京"}\n';
    for (const size of [1, 2, 3]) expect(values(await rows(text, "ndjson", size))).toEqual([{ city: "Zürich 🚀" }, { city: "東京" }]);
  });
});

describe("CSV", () => {
  it("reads rows as objects of text cells keyed by the header", async () => {
    const text = '\uFEFFid,amount,note\r\n1,12.5,"quoted, with comma"\r\n\r\n2,,"line\nbreak and ""quotes"""\r\n';
    const result = await rows(text, "csv", 4);
    expect(result.every((row) => row.source === "csv")).toBe(true);
    expect(result.map((row) => row.index)).toEqual([0, 1]);
    expect(values(result)).toEqual([
      { id: "1", amount: "12.5", note: "quoted, with comma" },
      { id: "2", amount: "", note: 'line\nbreak and "quotes"' },
    ]);
  });

  it("fails the load on a row with the wrong number of cells, naming its line", async () => {
    expect((await failure("id,amount\n1,2\n3\n", "csv")).message).toBe(
      "Malformed CSV: Invalid Record Length: columns length is 2, got 1 on line 3",
    );
  });
});
