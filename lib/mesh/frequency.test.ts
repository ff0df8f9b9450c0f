import { describe, expect, it } from "vitest";
import { isoDuration, parseFrequency } from "./frequency";

describe("parseFrequency", () => {
  it("reads the words, with realtime as every 15 minutes", () => {
    expect(parseFrequency("hourly")).toEqual({ text: "hourly", seconds: 3600, iso: "PT1H" });
    expect(parseFrequency("Daily")).toEqual({ text: "daily", seconds: 86_400, iso: "P1D" });
    expect(parseFrequency("weekly")?.seconds).toBe(7 * 86_400);
    expect(parseFrequency("monthly")?.seconds).toBe(30 * 86_400);
    expect(parseFrequency("realtime")?.seconds).toBe(900);
  });

  it('reads "every N units" in singular and plural', () => {
    expect(parseFrequency("every 15 minutes")).toEqual({ text: "every 15 minutes", seconds: 900, iso: "PT15M" });
    expect(parseFrequency("every 6 hours")?.seconds).toBe(6 * 3600);
    expect(parseFrequency("every hour")?.seconds).toBe(3600);
    expect(parseFrequency("Every 2 Days")?.text).toBe("every 2 days");
  });

  it("reads ISO 8601 durations", () => {
    expect(parseFrequency("PT15M")).toEqual({ text: "PT15M", seconds: 900, iso: "PT15M" });
    expect(parseFrequency("p1dt12h")?.seconds).toBe(36 * 3600);
    expect(parseFrequency("P1W")?.iso).toBe("P7D");
  });

  it("refuses other text, empty durations and intervals outside a minute to a year", () => {
    for (const text of ["", "yearly", "P", "PT", "every", "every -5 minutes", "15 minutes", "PT30S", "P2Y", "every 0 hours"]) {
      expect(parseFrequency(text), text).toBeNull();
    }
  });
});

describe("isoDuration", () => {
  it("writes the shortest form", () => {
    expect(isoDuration(0)).toBe("PT0S");
    expect(isoDuration(90)).toBe("PT1M30S");
    expect(isoDuration(86_400 + 3600)).toBe("P1DT1H");
  });
});
