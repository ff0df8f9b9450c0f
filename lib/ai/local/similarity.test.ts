import { describe, expect, it } from "vitest";
import { bestLabel, centralSentences, sentences } from "./similarity";

describe("offline model decisions", () => {
  it("picks the most similar label and the most central sentences", () => {
    expect(bestLabel([1, 0], [{ label: "a", embedding: [0, 1] }, { label: "b", embedding: [1, 0.1] }])).toEqual({ label: "b", score: 0.995 });
    const items = sentences("Router drops wifi. Wifi router drops again! My cat. Router wifi fails?");
    expect(items).toEqual(["Router drops wifi.", "Wifi router drops again!", "My cat.", "Router wifi fails?"]);
    const vectors = [[1, 0.1], [1, 0], [0, 1], [0.9, 0.2]];
    expect(centralSentences(items, vectors, 2)).toEqual(["Router drops wifi.", "Router wifi fails?"]);
  });
});
