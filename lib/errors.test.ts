import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, ERROR_STATUS, parseOrThrow, toFieldErrors, validationError } from "./errors";

const schema = z
  .object({
    name: z.string().min(2, "Too short"),
    nested: z.object({ items: z.array(z.number("Must be a number")) }),
  })
  .strict();

function errorOf(input: unknown): z.ZodError {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected a failure");
  return result.error;
}

describe("toFieldErrors", () => {
  it("joins issue paths with dots, including array indexes", () => {
    expect(toFieldErrors(errorOf({ name: "x", nested: { items: [1, "two", 3, "four"] } }))).toEqual({
      name: ["Too short"],
      "nested.items.1": ["Must be a number"],
      "nested.items.3": ["Must be a number"],
    });
  });

  it("uses (body) for issues without a path and groups several messages per path", () => {
    const errors = toFieldErrors(
      new z.ZodError([
        { code: "custom", path: [], message: "Body is wrong", input: undefined },
        { code: "custom", path: ["a"], message: "first", input: undefined },
        { code: "custom", path: ["a"], message: "second", input: undefined },
      ]),
    );
    expect(errors).toEqual({ "(body)": ["Body is wrong"], a: ["first", "second"] });
  });

  it("reports unknown keys of a strict object at the object's path", () => {
    const errors = toFieldErrors(errorOf({ name: "ok", nested: { items: [] }, extra: 1 }));
    expect(Object.keys(errors)).toEqual(["(body)"]);
  });
});

describe("parseOrThrow", () => {
  it("returns the parsed data", () => {
    expect(parseOrThrow(schema, { name: "ab", nested: { items: [1] } })).toEqual({ name: "ab", nested: { items: [1] } });
  });

  it("throws a 422 AppError naming each bad field", () => {
    let caught: unknown;
    try {
      parseOrThrow(schema, { name: "", nested: { items: ["x"] } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe("validation");
    expect(error.status).toBe(422);
    expect(error.message).toBe("Invalid input: check name, nested.items.0");
    expect(error.fieldErrors).toEqual({ name: ["Too short"], "nested.items.0": ["Must be a number"] });
    expect(error.toJSON()).toEqual({
      error: "Invalid input: check name, nested.items.0",
      code: "validation",
      fieldErrors: { name: ["Too short"], "nested.items.0": ["Must be a number"] },
    });
  });

  it("refuses text that cannot be stored anywhere in the input, whatever the schema, naming its path", () => {
    const anything = z.unknown();
    const cases: [unknown, Record<string, string[]>][] = [
      [{ title: "a\u0000b" }, { title: ["Text contains a NUL character (\\u0000), which text cannot hold"] }],
      [{ tags: ["ok", "\ud83d"] }, { "tags.1": ["Text contains an unpaired UTF-16 surrogate, which is not valid Unicode"] }],
      [{ ["k\u0000"]: 1 }, { "k\\u0000": ["The key contains a NUL character (\\u0000), which text cannot hold"] }],
      ["\udc00", { "(body)": ["Text contains an unpaired UTF-16 surrogate, which is not valid Unicode"] }],
    ];
    for (const [input, fieldErrors] of cases) {
      let caught: unknown;
      try {
        parseOrThrow(anything, input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).status).toBe(422);
      expect((caught as AppError).fieldErrors).toEqual(fieldErrors);
    }
    expect(parseOrThrow(anything, { emoji: "🚀", accents: "Grüße" })).toEqual({ emoji: "🚀", accents: "Grüße" });
  });
});

describe("AppError", () => {
  it("maps every code to its HTTP status", () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(new AppError(code as keyof typeof ERROR_STATUS, "x").status).toBe(status);
    }
    expect(new AppError("conflict", "x").status).toBe(409);
  });

  it("serialises without fieldErrors when there are none", () => {
    const error = new AppError("not_found", "No data product a/b");
    expect(error.toJSON()).toEqual({ error: "No data product a/b", code: "not_found" });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ error: "No data product a/b", code: "not_found" });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AppError");
  });

  it("validationError builds the same error as parseOrThrow", () => {
    const error = validationError(errorOf({ name: "", nested: { items: [] } }));
    expect(error.status).toBe(422);
    expect(error.fieldErrors).toEqual({ name: ["Too short"] });
  });
});
