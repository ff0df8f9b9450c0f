import { describe, expect, it } from "vitest";
import { citedRecords, normalise, opening, pooled, rankMetrics, rankOf, saysNothingFound, scoreQa, statesValue, summariseQa, type QaQuestion } from "./score";

const question = (kind: QaQuestion["kind"], values: (string | number)[], records: string[] = []): QaQuestion => ({
  id: "a01",
  question: "?",
  kind,
  products: [],
  answer: { values, records },
});
const link = (record: string) => {
  const [product, key] = record.split("#") as [string, string];
  return `[${key}](/products/${product}/records/${encodeURIComponent(key)})`;
};

describe("normalise", () => {
  it("drops thousands separators, currency symbols and a trailing .0", () => {
    expect(normalise("Total $20,250.0 and €1,234,567 for £3.0")).toBe("total 20250 and 1234567 for 3");
  });
  it("keeps decimals that are not .0 and commas in lists", () => {
    expect(normalise("4.05, 7, 12")).toBe("4.05, 7, 12");
  });
});

describe("statesValue", () => {
  it("matches a number only as a whole token", () => {
    expect(statesValue("We lost 3 disputes.", 3)).toBe(true);
    expect(statesValue("We lost 30 disputes.", 3)).toBe(false);
    expect(statesValue("An average of 3.4 days.", 3)).toBe(false);
  });
  it("accepts a decimal rounded to one decimal fewer, not two", () => {
    expect(statesValue("The mean is 4.67 hours", 4.67)).toBe(true);
    expect(statesValue("The mean is 4.7 hours", 4.67)).toBe(true);
    expect(statesValue("The mean is 5 hours", 4.67)).toBe(false);
  });
  it("matches amounts written with currency and separators", () => {
    expect(statesValue("They total **$20,250.00**", 20250)).toBe(false);
    expect(statesValue("They total **$20,250**", 20250)).toBe(true);
  });
  it("matches strings ignoring case, short ones as whole words", () => {
    expect(statesValue("The winner is Pine Ridge Farms.", "pine ridge farms")).toBe(true);
    expect(statesValue("Yes: 4 of them.", "yes")).toBe(true);
    expect(statesValue("Eyesight is fine.", "yes")).toBe(false);
    expect(statesValue("Nothing to report", "no")).toBe(false);
  });
});

describe("opening and citations", () => {
  it("does not count link targets towards the 600 characters", () => {
    const answer = `${link("a/b#K-1")} `.repeat(100) + "the end";
    expect(opening(answer).includes("/products/")).toBe(false);
    expect(opening(answer).length).toBeLessThanOrEqual(600);
  });
  it("collects record links, decoding their keys, once each", () => {
    const answer = `See ${link("payments/chargeback-cases#CB 1")} and ${link("payments/chargeback-cases#CB 1")} and [product](/products/payments/chargeback-cases).`;
    expect(citedRecords(answer)).toEqual(["payments/chargeback-cases#CB 1"]);
  });
  it("recognises a 'nothing relevant' answer", () => {
    expect(saysNothingFound("Nothing relevant was found in the catalog.")).toBe(true);
    expect(saysNothingFound("3 records are relevant.")).toBe(false);
  });
});

describe("scoreQa", () => {
  const gold = ["p/q#A", "p/q#B"];
  it("needs every value in the opening and one gold citation", () => {
    expect(scoreQa(question("count", [2], gold), `2 records: ${link("p/q#A")}`).correct).toBe(true);
    expect(scoreQa(question("count", [2], gold), `2 records, none cited`).why).toBe("cites no gold record");
    expect(scoreQa(question("count", [2], gold), `${"x".repeat(600)} 2 ${link("p/q#A")}`).correct).toBe(false);
  });
  it("filter-list: all gold records cited and at most two others", () => {
    const extra = (n: number) => Array.from({ length: n }, (_, i) => link(`p/q#X${i}`)).join(" ");
    expect(scoreQa(question("filter-list", [], gold), `${link("p/q#A")} ${link("p/q#B")} ${extra(2)}`).correct).toBe(true);
    expect(scoreQa(question("filter-list", [], gold), `${link("p/q#A")} ${link("p/q#B")} ${extra(3)}`).correct).toBe(false);
    expect(scoreQa(question("filter-list", [], gold), `${link("p/q#A")}`).correct).toBe(false);
  });
  it("out-of-scope: says nothing relevant and cites nothing", () => {
    expect(scoreQa(question("out-of-scope", []), "Nothing relevant was found.").correct).toBe(true);
    expect(scoreQa(question("out-of-scope", []), `Nothing relevant was found. ${link("p/q#A")}`).correct).toBe(false);
    expect(scoreQa(question("out-of-scope", []), "Here are 3 records.").correct).toBe(false);
  });
  it("summarises per kind", () => {
    const summary = summariseQa([
      { question: question("count", [1]), score: { correct: true, why: "", cited: [] } },
      { question: question("count", [1]), score: { correct: false, why: "x", cited: [] } },
    ]);
    expect(summary).toMatchObject({ accuracy: 0.5, correct: 1, total: 2, kinds: { count: { total: 2, correct: 1, accuracy: 0.5 } } });
  });
});

describe("rank metrics", () => {
  it("computes recall@k and MRR from ranks", () => {
    expect(rankOf(["a", "b", "c"], ["c", "x"])).toBe(3);
    expect(rankOf(["a"], ["x"])).toBe(0);
    expect(rankMetrics([1, 2, 0, 4], 3)).toEqual({ pairs: 4, hits: 2, recall: 0.5, mrr: (1 + 0.5 + 0 + 0.25) / 4 });
  });
});

describe("pooled", () => {
  it("pools pairs, hits and reciprocal ranks of several sets", () => {
    const merged = pooled([rankMetrics([1, 0], 3), rankMetrics([2, 2, 4], 3)]);
    expect(merged).toEqual({ pairs: 5, hits: 3, recall: 0.6, mrr: (1 + 0 + 0.5 + 0.5 + 0.25) / 5 });
  });
});
