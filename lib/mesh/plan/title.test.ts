import { describe, expect, it } from "vitest";
import { titleShares } from "./title";

describe("title shares", () => {
  it("counts the title words a question says, less when other titles share them", () => {
    const [transport, beds, heron] = titleShares("How many bed requests were held up?", ["Patient Transport Requests", "Bed Assignment Requests", "Heron"]);
    expect(beds).toBeCloseTo((1 + 0.5) / 3);
    expect(transport).toBeCloseTo(0.5 / 3);
    expect(heron).toBe(0);
  });

  it("matches words by stem, and a title said in full scores 1", () => {
    expect(titleShares("Which customs hold has the biggest storage bill?", ["Customs Holds", "Accessorial Charges"])).toEqual([1, 0]);
  });
});
