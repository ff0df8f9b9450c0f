import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { formatOf, readRows, type Row, type UploadFormat } from "./parse";
import { charsetOf, formatOfFileName, invalidUtf8At, sniffFormat } from "./rows";

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
      "Malformed CSV: line 3 has 1 cells, the header has 2",
    );
  });
});

describe("encodings", () => {
  const latin1 = (text: string) => Uint8Array.from([...text].map((char) => char.charCodeAt(0)));

  it("refuses bytes that are not UTF-8, naming the line, instead of storing replacement characters", async () => {
    for (const format of ["csv", "ndjson", "json"] as const) {
      const text = format === "csv" ? "id,city\n1,Berlin\n2,Zürich\n" : format === "ndjson" ? '{"id":"1"}\n{"id":"2","city":"Zürich"}\n' : '[{"id":"1"},\n{"city":"Zürich"}]';
      for (const size of [Infinity, 1, 3]) {
        const error = await rows(latin1(text), format, size).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error, `${format} in chunks of ${size}`).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe("validation");
        expect((error as AppError).message).toMatch(/^The body is not valid UTF-8 \(line (3|2)\)/);
      }
    }
  });

  it("names the line of a sequence cut off at the end of the body", async () => {
    const bytes = new Uint8Array([...encoder.encode("id\n1\n"), 0xe2, 0x82]);
    await expect(rows(bytes, "csv")).rejects.toThrow(/line 3/);
  });

  it("honours an explicit charset", async () => {
    const body = latin1("id,city\n2,Zürich\n");
    const result: Row[] = [];
    for await (const row of readRows(chunked(body, 2), "csv", { charset: "iso-8859-1" })) result.push(row);
    expect(values(result)).toEqual([{ id: "2", city: "Zürich" }]);
    await expect(rows(body, "csv").catch((error: AppError) => error.code)).resolves.toBe("validation");
    const unknown = readRows(chunked(body), "csv", { charset: "klingon" });
    await expect(unknown.next()).rejects.toMatchObject({ code: "unsupported_media_type" });
  });

  it("reads the charset from the Content-Type", () => {
    expect(charsetOf("text/csv; charset=ISO-8859-1")).toBe("iso-8859-1");
    expect(charsetOf('text/csv;charset="windows-1252"; header=present')).toBe("windows-1252");
    expect(charsetOf("text/csv")).toBeUndefined();
  });

  it("validates UTF-8 as TextDecoder does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
        } catch {
          valid = false;
        }
        expect(invalidUtf8At(bytes) === -1).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("repeated keys and headers", () => {
  it("rejects a JSON record that gives a key twice, naming the row and key", async () => {
    for (const format of ["json", "ndjson"] as const) {
      const records = ['{"id":"1"}', '{"id":"2","qty":1,"qty":2}'];
      const text = format === "json" ? `[${records.join(",")}]` : records.join("\n");
      const result = await rows(text, format);
      expect(result[1]).toEqual({ index: 1, source: "json", field: "qty", error: 'repeated key: the key "qty" appears twice in one object' });
    }
  });

  it("refuses a CSV header that names a column twice (422), before any row", async () => {
    const error = await rows("id,qty,note,qty\n1,2,x,3\n", "csv").catch((caught: AppError) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "validation", message: 'The CSV header repeats the column "qty" (columns 2 and 4)' });
  });

  it("hands the header to the caller, who may refuse the file", async () => {
    const seen: string[][] = [];
    const reader = readRows(chunked("id,extra\n1,2\n"), "csv", {
      onHeader: (columns) => {
        seen.push(columns);
        throw new AppError("validation", "no extra");
      },
    });
    await expect(reader.next()).rejects.toMatchObject({ message: "no extra" });
    expect(seen).toEqual([["id", "extra"]]);
  });

  it("gives CSV rows without a prototype, whatever the column names", async () => {
    const [row] = values(await rows("__proto__,constructor\na,b\n", "csv")) as Record<string, string>[];
    expect(Object.getPrototypeOf(row)).toBeNull();
    expect(Object.entries(row!)).toEqual([
      ["__proto__", "a"],
      ["constructor", "b"],
    ]);
  });
});

describe("record size limit", () => {
  const limit = { maxRecordBytes: 100 };
  const big = "é".repeat(60); // 120 bytes of UTF-8, 60 characters

  it("rejects a larger record as a row without keeping it, and reads the rest", async () => {
    const cases: [UploadFormat, string][] = [
      ["json", `[{"id":"1"}, {"id":"2","text":"${big}"}, {"id":"3"}]`],
      ["ndjson", `{"id":"1"}\n{"id":"2","text":"${big}"}\n{"id":"3"}\n`],
      ["csv", `id,text\n1,\n2,${big}\n3,\n`],
    ];
    for (const [format, text] of cases) {
      for (const size of [Infinity, 7]) {
        const result: Row[] = [];
        for await (const row of readRows(chunked(text, size), format, limit)) result.push(row);
        expect(result.map((row) => row.index), format).toEqual([0, 1, 2]);
        expect(result[1], format).toMatchObject({ error: "the record is larger than 100 bytes, the most one record may hold" });
        expect(values([result[0]!, result[2]!]).map((value) => (value as { id: string }).id)).toEqual(["1", "3"]);
      }
    }
  });

  it("accepts a record of exactly the limit", async () => {
    const text = `{"t":"${"a".repeat(92)}"}`;
    expect(encoder.encode(text).length).toBe(100);
    expect(values(await collect(readRows(chunked(text), "ndjson", limit)))).toEqual([{ t: "a".repeat(92) }]);
    expect(values(await collect(readRows(chunked(`[${text}]`, 5), "json", limit)))).toEqual([{ t: "a".repeat(92) }]);
  });
});

async function collect(reader: AsyncIterable<Row>): Promise<Row[]> {
  const result: Row[] = [];
  for await (const row of reader) result.push(row);
  return result;
}

/** Texts made of the characters that matter to the readers: structure, quotes, escapes, line ends, multi-byte. */
const trickyText = fc.string({ unit: fc.constantFrom("a", "Z", "0", ",", '"', "\\", "\n", "\r", "[", "]", "{", "}", " ", "é", "東", "🚀", "\u0000"), maxLength: 20 });
const fieldName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const record = fc.dictionary(fieldName, fc.oneof(trickyText, fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 6 });

describe("readers on random input (property-based)", () => {
  it("JSON arrays and NDJSON give back every record, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 8 }), fc.integer({ min: 1, max: 50 }), async (records, size) => {
        const array = `[${records.map((item) => JSON.stringify(item)).join(",\n")}]`;
        expect(values(await rows(array, "json", size))).toEqual(records);
        const lines = records.map((item) => JSON.stringify(item)).join("\r\n");
        expect(values(await rows(lines, "ndjson", size))).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });

  it("CSV gives back every cell of a well-quoted file, whatever the chunking", async () => {
    const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fieldName, { minLength: 1, maxLength: 5 }).chain((header) =>
          fc.tuple(fc.constant(header), fc.array(fc.array(trickyText, { minLength: header.length, maxLength: header.length }), { maxLength: 6 })),
        ),
        fc.integer({ min: 1, max: 50 }),
        async ([header, cells], size) => {
          const text = [header, ...cells].map((line) => line.map(quote).join(",")).join("\r\n") + "\r\n";
          const expected = cells.map((line) => Object.fromEntries(header.map((column, at) => [column, line[at]])));
          expect(values(await rows(text, "csv", size))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("any bytes in any format either read or fail with an AppError, never anything else", async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.array(trickyText, { maxLength: 10 }).map((parts) => encoder.encode(parts.join(""))),
      fc.jsonValue().map((value) => encoder.encode(JSON.stringify(value))),
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom<UploadFormat>("json", "ndjson", "csv"), fc.integer({ min: 1, max: 64 }), async (body, format, size) => {
        try {
          for (const row of await collect(readRows(chunked(body, size), format, { maxRecordBytes: 64 }))) {
            expect(row.index).toBeGreaterThanOrEqual(0);
            if ("value" in row && typeof row.value === "object" && row.value !== null && !Array.isArray(row.value)) {
              expect(Object.getPrototypeOf(row.value)).toBeNull();
            }
          }
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect([400, 413, 415, 422]).toContain((error as AppError).status);
        }
      }),
      { numRuns: 500 },
    );
  });
});
