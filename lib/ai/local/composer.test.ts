import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { answerComposer, pieces } from "./composer";

describe("pieces", () => {
  it("splits after sentence ends and line breaks, and concatenates back to the input", () => {
    expect(pieces("A. B.\n- c")).toEqual(["A. ", "B.\n", "- c"]);
    expect(pieces("Why? Yes! Done...\n\nNext line")).toEqual(["Why? ", "Yes! ", "Done...\n\n", "Next line"]);
    for (const text of ["", "no punctuation", "ends with a dot.", "\n\nleading breaks", "a.b.c", "“Quote.” [k](/p/r/k)\n- “x” [y](/z)\n"]) {
      expect(pieces(text).join(""), JSON.stringify(text)).toBe(text);
    }
    expect(pieces("")).toEqual([]);
  });
});

describe("answerComposer", () => {
  it("streams the composed text through streamText, in pieces, as one text part", async () => {
    let calls = 0;
    const model = answerComposer(() => {
      calls++;
      return "A. B.\n- c";
    });
    const result = streamText({ model, prompt: "question" });
    const deltas: string[] = [];
    for await (const part of result.fullStream) if (part.type === "text-delta") deltas.push(part.text);
    expect(deltas).toEqual(["A. ", "B.\n", "- c"]);
    expect(await result.text).toBe("A. B.\n- c");
    expect((await result.finishReason)).toBe("stop");
    expect((await result.usage).outputTokens).toBe(4);
    expect(calls).toBe(1);
  });

  it("answers generateText with the composed text", async () => {
    const result = await generateText({ model: answerComposer(() => "Only this. Nothing else."), prompt: "ignored" });
    expect(result.text).toBe("Only this. Nothing else.");
    expect(result.finishReason).toBe("stop");
  });

  it("identifies itself as the local v4 model", () => {
    const model = answerComposer(() => "");
    expect([model.specificationVersion, model.provider, model.modelId]).toEqual(["v4", "local", "answer-composer"]);
  });
});
