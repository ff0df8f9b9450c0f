import { describe, expect, it } from "vitest";
import { valueSynonyms, wordNetSynonyms } from "./wordnet";

describe("WordNet synonyms", () => {
  it("gives the words of a lemma's most frequent senses, WordNet's underscores as spaces", () => {
    expect(wordNetSynonyms("cancel", ["verb"])).toEqual(expect.arrayContaining(["call off", "scrub"]));
    expect(wordNetSynonyms("zzzz")).toEqual([]);
  });

  it("reads a stored value from its dictionary forms", () => {
    expect(valueSynonyms("declined")).toEqual(expect.arrayContaining(["turn down", "reject"]));
    expect(valueSynonyms("Cancelled")).toEqual(expect.arrayContaining(["call off", "scrub"]));
    expect(valueSynonyms("dismissed")).toContain("throw out");
    expect(valueSynonyms("refunded")).toContain("give back");
  });

  it("gives an adjective's definition of two words as a synonym", () => {
    expect(valueSynonyms("overdue")).toEqual(expect.arrayContaining(["delinquent", "past due"]));
  });

  it("leaves out rarer senses, proper names and the value itself", () => {
    const closed = valueSynonyms("closed");
    expect(closed).not.toContain("end");
    expect(closed).not.toContain("closed");
    expect(valueSynonyms("in_transit")).toEqual([]);
  });
});
