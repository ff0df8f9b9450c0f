import { describe, expect, it } from "vitest";
import { checkOutput, collidingOutputFields, configProblems, mergeOutput } from "./inference";

const schema = { primaryKey: "id", fields: [{ name: "id", type: "string" as const, required: true }, { name: "text", type: "string" as const, required: false }] };
const fields = [
  { name: "sentiment", type: "string" as const },
  { name: "score", type: "number" as const },
  { name: "stars", type: "integer" as const },
  { name: "urgent", type: "boolean" as const },
];

describe("inference rules", () => {
  it("checks output against the declared fields: every field, its type, nothing else", () => {
    expect(checkOutput(fields, { sentiment: "ok", score: 0.5, stars: 4, urgent: false })).toEqual({ ok: true, output: { sentiment: "ok", score: 0.5, stars: 4, urgent: false } });
    const bad = checkOutput(fields, { sentiment: 1, score: "high", stars: 4.5, extra: true });
    expect(bad.ok).toBe(false);
    const problems = bad.ok ? [] : bad.problems.join("\n");
    for (const text of ["sentiment", "score", "stars", "urgent", "extra"]) expect(problems).toContain(text);
    expect(checkOutput(fields, "not an object").ok).toBe(false);
  });

  it("never lets output overwrite a record's own field", () => {
    expect(mergeOutput({ id: "1", text: "a" }, { text: "overwritten?", sentiment: "ok" })).toEqual({ id: "1", text: "a", sentiment: "ok" });
    expect(collidingOutputFields(schema, [{ name: "text", type: "string" }])).toEqual(["text"]);
  });

  it("validates endpoint-specific configuration", () => {
    const base = { instructions: "x", outputFields: [{ name: "label", type: "string" as const }] };
    expect(configProblems(schema, { ...base, endpoint: "local:classify", labels: ["a", "b"] })).toEqual({});
    expect(configProblems(schema, { ...base, endpoint: "local:classify", labels: ["a"] })).toHaveProperty("labels");
    expect(configProblems(schema, { ...base, endpoint: "local:summarize", model: "x" })).toHaveProperty("model");
    expect(configProblems(schema, { ...base, endpoint: "https://api.example.com/v1" })).toHaveProperty("model");
    expect(configProblems(schema, { ...base, endpoint: "https://api.example.com/v1", model: "m" })).toEqual({});
    expect(configProblems(schema, { ...base, endpoint: "local:classify", labels: ["a", "b"], outputFields: [{ name: "text", type: "string" }] })).toHaveProperty("outputFields");
  });
});
