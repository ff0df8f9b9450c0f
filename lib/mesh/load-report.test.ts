import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LoadReportBuilder, MAX_LISTED_ALIKE, MAX_LISTED_REJECTIONS } from "./load-report";

const unknown = [{ field: "colour", message: "unknown field: not in the product's schema" }];

describe("LoadReportBuilder", () => {
  it("lists rows with the same errors a few times, then counts them", () => {
    const builder = new LoadReportBuilder();
    for (let index = 0; index < 1_200; index++) builder.reject({ index, key: `k${index}`, errors: unknown });
    builder.reject({ index: 1_200, errors: [{ field: "qty", message: "required field is missing" }] });
    const report = builder.report(5);
    expect(report.accepted).toBe(5);
    expect(report.rejectedTotal).toBe(1_201);
    expect(report.rejected.map((row) => row.index)).toEqual([...Array.from({ length: MAX_LISTED_ALIKE }, (_, at) => at), 1_200]);
    expect(report.repeated).toEqual([{ errors: unknown, rows: 1_190, message: "and 1,190 more rows with the same error" }]);
  });

  it("stops listing at the row limit and stays under 1 MB whatever the rows hold", () => {
    const builder = new LoadReportBuilder();
    const long = "x".repeat(2_000);
    for (let index = 0; index < 5_000; index++) {
      builder.reject({ index, key: long, errors: [{ field: long, message: `expected a number, got ${index}${long}` }] });
    }
    const report = builder.report(0);
    expect(report.rejectedTotal).toBe(5_000);
    expect(report.rejected.length).toBeLessThan(MAX_LISTED_REJECTIONS);
    expect(JSON.stringify(report).length).toBeLessThan(1024 * 1024);
  });

  it("accounts for every rejected row: listed, counted as repeated, or past the limits (property-based)", () => {
    const problem = fc.record({ field: fc.constantFrom("a", "b", "(record)"), message: fc.constantFrom("missing", "bad", "unknown") });
    fc.assert(
      fc.property(fc.array(fc.array(problem, { minLength: 1, maxLength: 3 }), { maxLength: 3_000 }), (rows) => {
        const builder = new LoadReportBuilder();
        rows.forEach((errors, index) => builder.reject({ index, errors }));
        const report = builder.report(0);
        expect(report.rejectedTotal).toBe(rows.length);
        const repeated = report.repeated.reduce((sum, group) => sum + group.rows, 0);
        expect(report.rejected.length + repeated).toBeLessThanOrEqual(rows.length);
        if (rows.length <= MAX_LISTED_REJECTIONS) expect(report.rejected.length + repeated).toBe(rows.length);
        expect(report.rejected.length).toBeLessThanOrEqual(MAX_LISTED_REJECTIONS);
      }),
      { numRuns: 100 },
    );
  });
});
