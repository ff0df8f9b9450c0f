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
