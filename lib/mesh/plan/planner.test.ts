import { describe, expect, it } from "vitest";
import type { Filter } from "../../validation/answers";
import { buildCatalog } from "./catalog";
import { findDates, resolveDate } from "./dates";
import { isFollowUp, refinePlan } from "./follow-up";
import { planQuestion, type PlanProduct } from "./planner";
import { findQuantities, findRounding } from "./quantities";
import { sameWord, stem, tokenize } from "./text";

/** A made-up product (not one of the evaluation sets): web-shop orders. */
const orders: PlanProduct = {
  domain: "retail",
  name: "orders",
  title: "Web Orders",
  description: "Orders placed in the web shop, one row per order, with where it ships, its amount and its status.",
  schema: {
    primaryKey: "order_id",
    fields: [
      { name: "order_id", type: "string", required: true, description: "Order number, prefixed ORD-.", pii: false },
      { name: "placed_on", type: "date", required: true, description: "Day the order was placed.", pii: false },
      { name: "shipped_at", type: "timestamp", required: false, description: "When the parcel left the warehouse (UTC).", pii: false },
      { name: "ship_city", type: "string", required: true, description: "Destination city.", pii: false },
      { name: "status", type: "string", required: true, description: "open, shipped, cancelled or refunded.", pii: false },
      { name: "amount_usd", type: "number", required: true, description: "Order total in USD.", pii: false },
      { name: "items", type: "integer", required: true, description: "Number of items in the parcel.", pii: false },
      { name: "expedited", type: "boolean", required: true, description: "True if the customer paid for overnight delivery.", pii: false },
      { name: "coupon_code", type: "string", required: false, description: "Promotional coupon redeemed at checkout.", pii: false },
      { name: "note", type: "string", required: false, description: "Free-text note from the buyer.", pii: false },
    ],
  },
};

const cities = ["Austin, TX", "Denver, CO", "Reno, NV"];
const statuses = ["open", "shipped", "cancelled", "refunded"];
const records = Array.from({ length: 40 }, (_, i) => ({
  order_id: `ORD-${1000 + i}`,
  placed_on: `2025-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")}`,
  ...(i % 3 ? { shipped_at: `2025-${String((i % 12) + 1).padStart(2, "0")}-28T10:00:00.000Z` } : {}),
  ship_city: cities[i % 3]!,
  status: statuses[i % 4]!,
  amount_usd: 20 + i * 7.5,
  items: (i % 5) + 1,
  expedited: i % 2 === 0,
  ...(i % 4 === 0 ? { coupon_code: `SAVE${i}` } : {}),
  note: `Please leave the parcel number ${i} at the back door.`,
}));
const catalog = buildCatalog(orders.schema, records);
const today = new Date("2026-03-15T12:00:00Z");
const plan = (question: string) => planQuestion(question, orders, catalog, { today });
const filters = (question: string) => plan(question).plan.filters.map(({ field, op, value, values }: Filter) => ({ field, op, ...(value !== undefined ? { value } : {}), ...(values ? { values } : {}) }));

describe("words", () => {
  it("reduces forms of a word to one stem, irregular ones included", () => {
    expect(stem("losing")).toBe(stem("lost"));
    expect(stem("lose")).toBe(stem("lost"));
    expect(stem("won")).toBe(stem("win"));
    expect(stem("installers")).toBe(stem("installer"));
    expect(stem("fibre")).toBe(stem("fiber"));
    expect(stem("dollars")).toBe("usd");
    expect(sameWord(stem("investigators"), stem("investigations"))).toBe(true);
    expect(sameWord(stem("cat"), stem("category"))).toBe(false);
    // A derivative of a derivative meets its root.
    expect(stem("environmental")).toBe(stem("environment"));
    expect(stem("appealed")).toBe(stem("appeal"));
  });

  it("splits negations off contractions", () => {
    expect(tokenize("wouldn't recommend").map((token) => token.text)).toEqual(["would", "not", "recommend"]);
  });
});

describe("dates", () => {
  const range = (text: string, min?: string, max?: string) => {
    const [expression] = findDates(text);
    return expression ? resolveDate(expression, today, min, max) : null;
  };

  it("reads months, quarters, years and days, with the year taken from the data when the question gives none", () => {
    expect(range("orders in March", "2025-01-01", "2025-12-31")).toEqual({ from: "2025-03-01", to: "2025-03-31" });
    expect(range("orders in March")).toEqual({ from: "2026-03-01", to: "2026-03-31" });
    expect(range("due in the first quarter of 2026")).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    expect(range("in Q3 2025")).toEqual({ from: "2025-07-01", to: "2025-09-30" });
    expect(range("since 1 Feb", "2025-01-01", "2026-03-01")).toEqual({ from: "2026-02-01" });
    expect(range("before 2026-02-10")).toEqual({ to: "2026-02-09" });
    expect(range("placed in 2025")).toEqual({ from: "2025-01-01", to: "2025-12-31" });
  });

  it("reads dates relative to today", () => {
    expect(range("last quarter")).toEqual({ from: "2025-10-01", to: "2025-12-31" });
    expect(range("last month")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(range("this year")).toEqual({ from: "2026-01-01", to: "2026-12-31" });
  });

  it("does not take a course title's year or the verb 'may' for a date", () => {
    expect(findDates("Security Awareness 2026 feedback")).toEqual([]);
    expect(findDates("which orders may be late")).toEqual([]);
  });
});

describe("numbers", () => {
  it("reads comparisons, currency and scale", () => {
    expect(findQuantities("over $150k", [])).toMatchObject([{ op: "gt", value: 150_000, currency: true }]);
    expect(findQuantities("at least 3 items", [])).toMatchObject([{ op: "gte", value: 3, currency: false }]);
    expect(findQuantities("between $10 and $20", [])).toMatchObject([{ op: "between", value: 10, to: 20 }]);
    expect(findQuantities("cut 6,200 customers", [])).toMatchObject([{ op: "eq", value: 6200, compared: false }]);
    expect(findQuantities("fewer than five", [])).toMatchObject([{ op: "lt", value: 5 }]);
    // "or more" after what the number measures, not after another number or clause.
    expect(findQuantities("fifteen parts per billion of lead or more", [])).toMatchObject([{ op: "gte", value: 15, compared: true }]);
    expect(findQuantities("12 kg of flour or less", [])).toMatchObject([{ op: "lte", value: 12 }]);
    expect(findQuantities("3 crates and a pallet or more", [])).toMatchObject([{ op: "eq", value: 3, compared: false }]);
  });

  it("leaves identifiers and words with digits alone", () => {
    expect(findQuantities("ORD-1004 and a 3-pack of KES-14N", [])).toEqual([]);
  });

  it("reads the rounding asked for", () => {
    expect(findRounding("to one decimal place")?.decimals).toBe(1);
    expect(findRounding("rounded to the nearest whole number")?.decimals).toBe(0);
    expect(findRounding("to 2 decimals")?.decimals).toBe(2);
    expect(findRounding("to the nearest point")?.decimals).toBe(0);
    expect(findRounding("to the nearest percentage point")?.decimals).toBe(0);
    expect(findRounding("to the nearest tenth")?.decimals).toBe(1);
    expect(findRounding("to the nearest cent")?.decimals).toBe(2);
    expect(findRounding("to the nearest thousand")).toBeNull();
  });
});

describe("planQuestion", () => {
  it("counts records matching a categorical value", () => {
    const { plan: counted } = plan("How many orders were cancelled?");
    expect(counted.operation).toBe("count");
    expect(counted.filters).toMatchObject([{ field: "status", op: "eq", value: "cancelled" }]);
  });

  it("matches part of a value when it singles it out, and notes the interpretation", () => {
    const planned = plan("Which orders going to Austin are still open?");
    expect(planned.plan.operation).toBe("list");
    expect(filters("Which orders going to Austin are still open?")).toEqual(
      expect.arrayContaining([
        { field: "ship_city", op: "eq", value: "Austin, TX" },
        { field: "status", op: "eq", value: "open" },
      ]),
    );
    expect(planned.plan.notes.join(" ")).toMatch(/austin/);
  });

  it("reads alternatives joined by 'or' as one condition, and negation as its own", () => {
    expect(filters("How many orders are open or shipped?")).toEqual([{ field: "status", op: "in", values: ["open", "shipped"] }]);
    expect(filters("How many orders were not refunded?")).toEqual([{ field: "status", op: "ne", value: "refunded" }]);
  });

  it("links numbers to the field they are said of, by words nearby or by currency", () => {
    expect(filters("Which orders over $200 are open?")).toEqual(
      expect.arrayContaining([
        { field: "amount_usd", op: "gt", value: 200 },
        { field: "status", op: "eq", value: "open" },
      ]),
    );
    expect(filters("How many orders had at least 3 items?")).toEqual([{ field: "items", op: "gte", value: 3 }]);
  });

  it("reads booleans from the field's description, and their negation", () => {
    expect(filters("How many customers paid for overnight delivery?")).toEqual([{ field: "expedited", op: "eq", value: true }]);
    expect(filters("How many orders went out without overnight delivery?")).toEqual([{ field: "expedited", op: "eq", value: false }]);
  });

  it("dates a condition by the date field named nearby, else the record's own date", () => {
    expect(filters("How many orders were placed in March 2025?")).toEqual([{ field: "placed_on", op: "between", values: ["2025-03-01", "2025-03-31"] }]);
    expect(filters("How many parcels left the warehouse since 1 June 2025?")).toEqual([{ field: "shipped_at", op: "gte", value: "2025-06-01" }]);
  });

  it("adds up and averages a named number, with the rounding asked for", () => {
    const total = plan("What is the total amount of refunded orders?").plan;
    expect(total).toMatchObject({ operation: "sum", field: "amount_usd", filters: [{ field: "status", value: "refunded" }] });
    const average = plan("What's the average number of items per order sent to Reno, to one decimal place?").plan;
    expect(average).toMatchObject({ operation: "avg", field: "items", decimals: 1, filters: [{ field: "ship_city", value: "Reno, NV" }] });
  });

  it("takes superlatives as the record with the highest or lowest value", () => {
    expect(plan("Which order had the largest amount?").plan).toMatchObject({ operation: "max", field: "amount_usd", limit: 1 });
    expect(plan("Which Denver order had the fewest items?").plan).toMatchObject({ operation: "min", field: "items", filters: [{ field: "ship_city", value: "Denver, CO" }] });
  });

  it("looks up a named field of the record the question describes", () => {
    const looked = plan("What was the status of the order whose buyer asked to leave it at the back door?").plan;
    expect(looked.operation).toBe("lookup");
    expect(looked.fields).toContain("status");
  });

  it("reads a record's own total as a field to look up, and a word for a measure as its field", () => {
    const own = plan("The buyer who wanted the parcel left at the back door: what was their total bill?").plan;
    expect(own.operation).toBe("lookup");
    expect(own.fields).toContain("amount_usd");
    const valued = plan("What's the total dollar value of the refunded orders?").plan;
    expect([valued.operation, valued.field]).toEqual(["sum", "amount_usd"]);
    const summed = plan("What was the total bill of the orders shipped to Reno?").plan;
    expect([summed.operation, summed.field]).toEqual(["sum", "amount_usd"]);
  });

  it("counts records for 'how many' of a word that names a money field: money is 'how much'", () => {
    expect(plan("How many amount disputes were refunded?").plan).toMatchObject({ operation: "count", filters: [{ field: "status", value: "refunded" }] });
    expect(plan("How many dollars did the refunded orders amount to?").plan).toMatchObject({ operation: "sum", field: "amount_usd" });
  });

  it("answers yes/no questions with an existence check", () => {
    expect(plan("Did any order to Reno get refunded?").plan).toMatchObject({ operation: "exists", filters: expect.arrayContaining([expect.objectContaining({ field: "status", value: "refunded" })]) });
  });

  it("reads an identifier as equality on the field whose values look like it", () => {
    expect(filters("What is the status of ORD-1004?")).toEqual([{ field: "order_id", op: "eq", value: "ORD-1004" }]);
  });

  it("reads a described optional field as 'is set'", () => {
    expect(filters("How many orders redeemed a promotional coupon?")).toEqual([{ field: "coupon_code", op: "present" }]);
  });

  it("cannot answer an average of a number the product does not hold, and says why", () => {
    const planned = plan("What was the average delivery delay in hours?");
    expect(planned.problem).toMatch(/no number field/);
    expect(planned.explained).toBeLessThan(0.5);
  });
});

describe("follow-ups", () => {
  it("recognises questions that refer to the previous answer", () => {
    expect(isFollowUp("which of those were refunded?")).toBe(true);
    expect(isFollowUp("and the total?")).toBe(true);
    expect(isFollowUp("only the ones in Austin")).toBe(true);
    expect(isFollowUp("How many orders were placed in March 2025 and shipped to Denver?")).toBe(false);
  });

  it("keeps the previous conditions, adds the new ones and changes the operation only when asked", () => {
    const first = plan("Which orders over $200 were shipped?").plan;
    const narrowed = refinePlan(first, plan("only the ones in Austin"), "only the ones in Austin");
    expect(narrowed.operation).toBe("list");
    expect(narrowed.filters.map((filter) => filter.field).sort()).toEqual(["amount_usd", "ship_city", "status"]);
    const total = refinePlan(first, plan("and the total amount?"), "and the total amount?");
    expect(total).toMatchObject({ operation: "sum", field: "amount_usd" });
    expect(total.filters).toHaveLength(2);
    const replaced = refinePlan(first, plan("which of those were refunded instead?"), "which of those were refunded instead?");
    expect(replaced.filters.find((filter) => filter.field === "status")).toMatchObject({ value: "refunded" });
  });
});
