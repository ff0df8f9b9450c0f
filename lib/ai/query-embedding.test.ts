import { MockEmbeddingModelV4 } from "ai/test";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { embedQuery } from "./query-embedding";

/** A model whose embedding of a text is [its length, its first character's code]; fails when told to. */
const state = vi.hoisted(() => ({ fail: false }));
const model = new MockEmbeddingModelV4({
  maxEmbeddingsPerCall: 100,
  doEmbed: async ({ values }) => {
    if (state.fail) throw new Error("model down");
    return { embeddings: values.map((value) => [value.length, value.charCodeAt(0)]), warnings: [] };
  },
});
vi.mock("./models", () => ({
  embeddingModel: (id: string) => {
    if (id !== "test/mock") throw new Error(`Embedding model ${id} is not available`);
    return model;
  },
}));

describe("embedQuery", () => {
  beforeEach(() => {
    model.doEmbedCalls.length = 0;
    state.fail = false;
  });

  it("embeds the texts asked for in the same turn in one call, each answered with its own embedding", async () => {
    const embeddings = await Promise.all(["late deliveries", "late", "deliveries"].map((text) => embedQuery("test/mock", text)));
    expect(embeddings).toEqual([
      [15, 108],
      [4, 108],
      [10, 100],
    ]);
    expect(model.doEmbedCalls.map((call) => call.values)).toEqual([["late deliveries", "late", "deliveries"]]);
  });

  it("embeds a text once: a repeat is answered from the cache, a new text in a call of its own", async () => {
    await embedQuery("test/mock", "refunds");
    expect(await embedQuery("test/mock", "refunds")).toEqual([7, 114]);
    await embedQuery("test/mock", "returns");
    expect(model.doEmbedCalls.map((call) => call.values)).toEqual([["refunds"], ["returns"]]);
  });

  it("rejects every text of a failed batch, and tries them again on the next ask", async () => {
    state.fail = true;
    const failed = await Promise.allSettled([embedQuery("test/mock", "outage"), embedQuery("test/mock", "outages")]);
    expect(failed.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    state.fail = false;
    expect(await embedQuery("test/mock", "outage")).toEqual([6, 111]);
  });

  it("rejects the texts of an unknown model without failing the process", async () => {
    await expect(embedQuery("test/unknown", "anything")).rejects.toThrow("not available");
  });
});
