import { describe, expect, it } from "vitest";
import { distinctQuestions, questionText, TEMPLATES } from "./paraphrase";

describe("questionText", () => {
  it("keeps the first sentence, drops its stop and lowers its first letter", () => {
    expect(questionText("My router will not pair in Lyon. Please refund me.")).toBe("my router will not pair in Lyon");
    expect(questionText("  Router stopped syncing  ")).toBe("router stopped syncing");
    expect(questionText("Is this a known issue? I hope not.")).toBe("is this a known issue");
    expect(questionText(" . ")).toBe("");
  });
});

describe("distinctQuestions", () => {
  it("puts the seed questions first, then the texts through the templates in turn", () => {
    const questions = distinctQuestions(["a seed", "a seed", "another"], ["One.", "Two.", "Three."], 5);
    expect(questions).toEqual(["a seed", "another", TEMPLATES[0]!("one"), TEMPLATES[1]!("two"), TEMPLATES[2]!("three")]);
  });

  it("skips repeats and empty texts, and stops at the total", () => {
    const questions = distinctQuestions([], ["Same.", "", "Same.", "Same.", "Other."], 3);
    expect(new Set(questions).size).toBe(3);
    expect(questions).toHaveLength(3);
  });

  it("is deterministic and throws when the texts cannot give enough", () => {
    const texts = Array.from({ length: 50 }, (_, i) => `Text number ${i}.`);
    expect(distinctQuestions(["q"], texts, 40)).toEqual(distinctQuestions(["q"], texts, 40));
    expect(() => distinctQuestions([], ["Only one."], 2)).toThrow(/Only 1 distinct/);
  });
});
