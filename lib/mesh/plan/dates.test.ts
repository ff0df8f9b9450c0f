import { describe, expect, it } from "vitest";
import { findDates, resolveDate } from "./dates";

const today = new Date("2026-07-15T12:00:00Z");
const ranges = (text: string, min = "2026-01-03", max = "2026-06-28") => findDates(text).map((expression) => resolveDate(expression, today, min, max));

describe("runs of months", () => {
  it("reads the first or last months of a year, and its halves", () => {
    expect(ranges("In the first three months of the year, how many moves were late?")).toEqual([{ from: "2026-01-01", to: "2026-03-31" }]);
    expect(ranges("over the last 2 months of 2025")).toEqual([{ from: "2025-11-01", to: "2025-12-31" }]);
    expect(ranges("during the second half of 2025")).toEqual([{ from: "2025-07-01", to: "2025-12-31" }]);
    expect(ranges("in the first half")).toEqual([{ from: "2026-01-01", to: "2026-06-30" }]);
  });

  it("reads a run between two months as one range, not two months", () => {
    expect(ranges("between March and May")).toEqual([{ from: "2026-03-01", to: "2026-05-31" }]);
    expect(ranges("from January to April 2026")).toEqual([{ from: "2026-01-01", to: "2026-04-30" }]);
    expect(ranges("in April and May")).toEqual([{ from: "2026-04-01", to: "2026-05-31" }]);
  });

  it("keeps two months that are not a run apart", () => {
    expect(ranges("in January and March")).toEqual([
      { from: "2026-01-01", to: "2026-01-31" },
      { from: "2026-03-01", to: "2026-03-31" },
    ]);
  });

  it("leaves the last months before today and months of something other than a year alone", () => {
    expect(ranges("in the last 3 months")).toEqual([{ from: "2026-04-15", to: "2026-07-15" }]);
    expect(ranges("in the second half of March")).toEqual([{ from: "2026-03-01", to: "2026-03-31" }]);
    expect(ranges("in the first two months of the contract")).toEqual([]);
  });
});

describe("the edges of a span", () => {
  const today = new Date("2026-06-10T00:00:00Z");
  const only = (text: string) => {
    const [expression, ...rest] = findDates(text);
    expect(rest).toEqual([]);
    return resolveDate(expression!, today);
  };

  it("bounds from the start, the end or the middle of a month", () => {
    expect(only("since the start of April")).toEqual({ from: "2026-04-01" });
    expect(only("since the beginning of March")).toEqual({ from: "2026-03-01" });
    expect(only("before the end of May")).toEqual({ to: "2026-05-30" });
    expect(only("after the end of March")).toEqual({ from: "2026-04-01" });
    expect(only("since mid-April")).toEqual({ from: "2026-04-15" });
    expect(only("until the middle of February")).toEqual({ to: "2026-02-14" });
  });

  it("keeps the whole span when no bound is given", () => {
    expect(only("at the end of March")).toEqual({ from: "2026-03-01", to: "2026-03-31" });
    expect(only("in mid-April")).toEqual({ from: "2026-04-01", to: "2026-04-30" });
  });
});
