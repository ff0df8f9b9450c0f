import { generateText, Output } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildPrompt } from "../prompts";
import { createClassifierModel, createSummarizerModel } from "./inference-models";

/** A toy embedding: counts of a few words, so that similarity is predictable. */
const WORDS = ["love", "great", "broken", "refund"];
const embed = async (values: string[]) => values.map((text) => WORDS.map((word) => (text.toLowerCase().includes(word) ? 1 : 0) + 0.01));

describe("offline inference models through the AI SDK", () => {
  it("classify answers JSON with the most similar label and its score", async () => {
    const model = createClassifierModel({ labels: ["love it, great", "broken, refund"], labelField: "label", scoreField: "score", embed });
    const { system, prompt } = buildPrompt({ instructions: "x", outputFields: [{ name: "label", type: "string" }, { name: "score", type: "number" }] }, { text: "Broken on arrival, I want a refund" });
    const result = await generateText({ model, system, prompt, output: Output.object({ schema: z.object({ label: z.string(), score: z.number() }) }) });
    expect(result.output.label).toBe("broken, refund");
    expect(result.output.score).toBeGreaterThan(0.9);
  });

  it("summarize keeps sentences verbatim", async () => {
    const model = createSummarizerModel({ summaryField: "summary", embed });
    const { system, prompt } = buildPrompt({ instructions: "x", outputFields: [{ name: "summary", type: "string" }] }, { text: "I love it. Great value. Great and love. Weather is nice." });
    const result = await generateText({ model, system, prompt, output: Output.object({ schema: z.object({ summary: z.string() }) }) });
    // Four sentences: two kept, in their order, verbatim; the most central one among them.
    const kept = result.output.summary.split(/(?<=\.) /);
    expect(kept).toHaveLength(2);
    expect(kept).toContain("Great and love.");
    for (const sentence of kept) expect("I love it. Great value. Great and love. Weather is nice.").toContain(sentence);
  });

  it("refuses a prompt without a record block", async () => {
    const model = createSummarizerModel({ summaryField: "summary", embed });
    await expect(generateText({ model, prompt: "no record here", maxRetries: 0 })).rejects.toThrow(/no <record> block/);
  });
});
