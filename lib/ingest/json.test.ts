import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonRepeatedKeyError, JsonSyntaxError, MAX_DEPTH, parseJson } from "./json";

/** What parseJson does with a text, as a comparable value. */
function outcome(text: string): { value: unknown } | { error: string } {
  try {
    return { value: parseJson(text) };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

describe("parseJson", () => {
  it("parses every JSON document as JSON.parse does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(parseJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it("accepts exactly the texts JSON.parse accepts, unless a key repeats", () => {
    const jsonish = fc.stringMatching(/^[\s{}[\]",:0-9.eE+\-truefalsn\\a-z]{0,30}$/);
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string(), fc.json()), (text) => {
        let expected: "ok" | "error";
        try {
          JSON.parse(text);
          expected = "ok";
        } catch {
          expected = "error";
        }
        const got = outcome(text);
        if (expected === "error") expect(got).toEqual({ error: "JsonSyntaxError" });
        else if ("error" in got) expect(got.error).toBe("JsonRepeatedKeyError");
        else expect(got.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses a key given twice, naming its path", () => {
    const error = (() => {
      try {
        parseJson('{"a": {"list": [1, {"id": 1, "id": 2}]}}');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(JsonRepeatedKeyError);
    expect((error as JsonRepeatedKeyError).path).toEqual(["a", "list", 1, "id"]);
    expect((error as Error).message).toBe('the key "id" appears twice in one object');
    // Equal after unescaping is the same key.
    expect(() => parseJson('{"id": 1, "\\u0069d": 2}')).toThrow(JsonRepeatedKeyError);
  });

  it("builds objects without a prototype, so inherited names are plain keys", () => {
    const value = parseJson('{"__proto__": {"polluted": true}, "constructor": 1, "toString": "x"}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(["__proto__", "constructor", "toString"]);
    expect(value["__proto__"]).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps what JSON.parse keeps: escapes, lone surrogates, NUL escapes, big numbers", () => {
    expect(parseJson('"\\u0000 \\ud800 \\/ \\b\\f\\n\\r\\t"')).toBe("\u0000 \ud800 / \b\f\n\r\t");
    expect(parseJson("1e400")).toBe(Infinity);
    expect(parseJson("-0")).toBe(-0);
  });

  it("bounds the nesting depth instead of overflowing the stack", () => {
    expect(parseJson("[".repeat(MAX_DEPTH) + "]".repeat(MAX_DEPTH))).toBeInstanceOf(Array);
    expect(() => parseJson("[".repeat(100_000))).toThrow(JsonSyntaxError);
    expect(() => parseJson("[".repeat(MAX_DEPTH + 1) + "]".repeat(MAX_DEPTH + 1))).toThrow(/Nested deeper than 256 levels/);
  });

  it("says where the syntax breaks", () => {
    expect(() => parseJson('{"a": tru}')).toThrow(/Unexpected character "t" at position 6/);
    expect(() => parseJson('{"a": "x\u0000"}')).toThrow(/Bad control character in string literal at position 8/);
    expect(() => parseJson("")).toThrow(/Unexpected end of JSON input at position 0/);
  });
});
