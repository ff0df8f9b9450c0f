import { describe, expect, it } from "vitest";
import { schemaField as field } from "@/tests/helpers/fields";
import { buildCatalog } from "./catalog";
import { labelFieldsOf } from "./labels";
import { planQuestion, type PlanProduct } from "./planner";
import { aliasesOf, glossNamesOf, indexSchema, otherWordClass } from "./schema-links";
import { stem } from "./text";
import { fieldUnit, isMoney, unitOf } from "./units";

// A made-up product: repairs of bicycles at a few workshops.
const repairs: PlanProduct = {
  domain: "cycling",
  name: "repairs",
  title: "Bike Repairs",
  description: "One row per repair job.",
  schema: {
    primaryKey: "job_id",
    fields: [
      field("job_id", "string", "Job number, prefixed JB-."),
      field("rack", "string", "Rack the bike hung on: RK-1 or RK-2."),
      field("owner", "string", "Person who brought the bike in."),
      field("workshop", "string", "Workshop that did the work."),
      field("state", "string", "finished, waiting or abandoned."),
      field("urgency", "string", "u1 (rush), u2 (normal) or u3 (whenever)."),
      field("wait_minutes", "integer", "Minutes the owner waited at the counter."),
      field("spokes_replaced", "integer", "Spokes swapped on the wheel."),
      field("charge", "number", "Charged to the owner in euros."),
      field("gears", "integer", "Gears on the bike."),
      field("remarks", "string", "Mechanic's free-text remark about the repair and the parts that were changed.", false),
    ],
  },
};
const owners = ["Ada Moss", "Ben Ruiz", "Cleo Park", "Dev Shah", "Eli Tran", "Fay Cole", "Gus Bell", "Hal Ortiz"];
const records = Array.from({ length: 24 }, (_, i) => ({
  job_id: `JB-${100 + i}`,
  rack: `RK-${(i % 2) + 1}`,
  owner: owners[i % owners.length]!,
  workshop: ["North", "South"][i % 2]!,
  state: ["finished", "waiting", "abandoned"][i % 3]!,
  urgency: ["u1", "u2", "u3"][i % 3]!,
  wait_minutes: 30 + i * 20,
  spokes_replaced: i % 5,
  charge: 10 + i,
  gears: 1 + (i % 3) * 10,
  remarks: `The rear derailleur was bent and the chain had stretched past its limit, job ${i}.`,
}));
const catalog = buildCatalog(repairs.schema, records);
const plan = (question: string) => planQuestion(question, repairs, catalog, { today: new Date("2026-03-15T12:00:00Z") }).plan;

describe("label fields", () => {
  it("names a record by short, distinct text: not its key, an identifier code, a category of few values or free text", () => {
    expect(labelFieldsOf(repairs.schema, catalog)[0]).toBe("owner");
    expect(labelFieldsOf(repairs.schema, catalog)).not.toContain("rack");
    expect(labelFieldsOf(repairs.schema, catalog)).not.toContain("state");
    expect(labelFieldsOf(repairs.schema, catalog)).not.toContain("remarks");
  });

  it("puts a field described as a name first", () => {
    const schema = { ...repairs.schema, fields: [...repairs.schema.fields, field("bike", "string", "Name the owner gave the bike.")] };
    const named = buildCatalog(schema, records.map((record, i) => ({ ...record, bike: `Bike ${i}` })));
    expect(labelFieldsOf(schema, named)[0]).toBe("bike");
  });
});

describe("units", () => {
  it("reads money from a currency in the field's name or description, not from its meaning", () => {
    expect(isMoney(field("charge", "number", "Charged to the owner in euros."))).toBe(true);
    expect(isMoney(field("fee_gbp", "number"))).toBe(true);
    expect(isMoney(field("charge", "number", "Charged to the owner."))).toBe(false);
  });

  it("reads a time unit from the name first, then the description", () => {
    expect(fieldUnit(field("wait_minutes", "integer", "Days of waiting"))).toEqual({ dimension: "time", size: 1 });
    expect(fieldUnit(field("lag", "integer", "Hours between the two scans."))).toEqual({ dimension: "time", size: 60 });
    expect(fieldUnit(field("gears", "integer"))).toBeUndefined();
    expect(unitOf("days")).toEqual({ dimension: "time", size: 1440 });
    expect(unitOf("litres")).toEqual({ dimension: "volume", size: 1 });
  });

  it("converts a compared time into the unit of the field that keeps time", () => {
    expect(plan("Did anyone wait more than two hours?").filters).toContainEqual(expect.objectContaining({ field: "wait_minutes", op: "gt", value: 120 }));
  });
});

describe("comparisons are not superlatives", () => {
  it("reads 'at least N' as a condition, not as the lowest", () => {
    const planned = plan("Which jobs replaced at least three spokes?");
    expect(planned.operation).toBe("list");
    expect(planned.filters).toContainEqual(expect.objectContaining({ field: "spokes_replaced", op: "gte", value: 3 }));
  });

  it("links a compared number to no field when no field's values come near it", () => {
    const planned = planQuestion("How many jobs drew at least fifteen thousand visitors?", repairs, catalog);
    expect(planned.plan.filters).toEqual([]);
    expect(planQuestion("How many jobs drew at least three visitors?", repairs, catalog).plan.filters).toHaveLength(1);
  });
});

describe("linking words to values and fields", () => {
  it("reaches a code through the words its field's description gives it", () => {
    expect(aliasesOf(indexSchema(repairs), "urgency", ["u1", "u2", "u3"]).get("u1")).toEqual([["rush"]]);
    expect(plan("How many rush jobs were there?").filters).toContainEqual(expect.objectContaining({ field: "urgency", op: "eq", value: "u1" }));
  });

  it("reads \"what … count\" as the field asked of a record, and counts only when asked to", () => {
    const spokes = planQuestion("What spoke count did the job with the bent derailleur need?", repairs, catalog).plan;
    expect(spokes).toMatchObject({ operation: "lookup", fields: ["spokes_replaced"] });
    expect(plan("Count the jobs at the North workshop.")).toMatchObject({ operation: "count", filters: [expect.objectContaining({ field: "workshop", value: "North" })] });
  });

  it("takes a superlative of the records themselves to the one number field named after them", () => {
    const timed: PlanProduct = { ...repairs, schema: { ...repairs.schema, fields: [...repairs.schema.fields, field("repair_hours", "number", "Hours the mechanic spent.")] } };
    const timedCatalog = buildCatalog(timed.schema, records.map((record, i) => ({ ...record, repair_hours: 1 + i })));
    expect(planQuestion("What was the biggest repair the North workshop did?", timed, timedCatalog).plan).toMatchObject({ operation: "max", field: "repair_hours" });
  });

  it("reaches a code through its gloss when the field is named beside it, and counts the name as explained", () => {
    const planned = planQuestion("How many rush-urgency jobs were there?", repairs, catalog, { today: new Date("2026-03-15T12:00:00Z") });
    expect(planned.plan.filters).toEqual([expect.objectContaining({ field: "urgency", op: "eq", value: "u1" })]);
    expect(planned.explained).toBe(1);
  });

  it("reads a code's gloss however the description lays the codes out", () => {
    const outcomes = indexSchema({
      ...repairs,
      schema: {
        primaryKey: "job_id",
        fields: [field("job_id", "string"), field("outcome", "string", "Outcome code: D dismissed, G guilty or found liable, P pending (no outcome yet), A appealed. A case has one.")],
      },
    });
    const glosses = aliasesOf(outcomes, "outcome", ["D", "G", "P", "A"]);
    expect(glosses.get("D")).toEqual([["dismiss"]]);
    expect(glosses.get("G")).toEqual([["guilti", "find", "liabl"]]);
    // Stop words ("no", "yet") tell no code apart.
    expect(glosses.get("P")).toEqual([["pend", "outcom"]]);
    // The capital code is not the article "a" of "A case has one".
    expect(glosses.get("A")).toEqual([[stem("appealed")]]);
  });

  it("takes a code's name in its description, said word for word, for the code, short and shared words included", () => {
    const licensed: PlanProduct = {
      ...repairs,
      schema: {
        ...repairs.schema,
        fields: [...repairs.schema.fields, field("class", "string", "Licence class: L1 Class II (e.g. road bikes, no motor), L2 Class III (e.g. e-bikes), L3 Class IV (cargo).")],
      },
    };
    expect(glossNamesOf(indexSchema(licensed), "class", ["L1", "L2", "L3"])).toEqual(
      new Map([
        ["L1", ["class", "ii"]],
        ["L2", ["class", "iii"]],
        ["L3", ["class", "iv"]],
      ]),
    );
    const catalog = buildCatalog(licensed.schema, records.map((record, i) => ({ ...record, class: ["L1", "L2", "L3"][i % 3]! })));
    expect(planQuestion("How many Class III bikes came in?", licensed, catalog).plan.filters).toContainEqual(expect.objectContaining({ field: "class", op: "eq", value: "L2" }));
    expect(planQuestion("How many class bikes came in?", licensed, catalog).plan.filters.some((filter) => filter.field === "class")).toBe(false);
  });

  it("does not read a noun naming the records as a participle value", () => {
    expect(otherWordClass("deliveries", "delivered")).toBe(true);
    expect(otherWordClass("delivered", "delivered")).toBe(false);
    const log = buildCatalog(repairs.schema, records.map((record, i) => ({ ...record, state: ["delivered", "waiting", "abandoned"][i % 3]! })));
    const counted = planQuestion("How many deliveries came in late?", repairs, log).plan;
    expect(counted.filters.some((filter) => filter.field === "state")).toBe(false);
    expect(planQuestion("How many jobs were delivered?", repairs, log).plan.filters).toContainEqual(expect.objectContaining({ field: "state", value: "delivered" }));
  });

  it("takes a number field named by one whole word of its name when no other is", () => {
    const planned = plan("What is the average spokes count?");
    expect(planned.operation).toBe("avg");
    expect(planned.field).toBe("spokes_replaced");
    // In a compound with words the product does not explain, the word names something else.
    expect(plan("What is the average spokes tension reading?").field).toBeUndefined();
  });

  it("lists records for 'which' and a plural, whatever the plural calls them", () => {
    expect(plan("Which bikes were abandoned?").operation).toBe("list");
  });
});

// Another made-up product: hygiene visits to cafés.
const visits: PlanProduct = {
  domain: "food",
  name: "cafe-visits",
  title: "Café Visits",
  description: "One row per hygiene visit to a café.",
  schema: {
    primaryKey: "visit_id",
    fields: [
      field("visit_id", "string", "Visit number, prefixed CV-."),
      field("cafe", "string", "Name of the café."),
      field("visited_on", "date", "Day of the visit."),
      field("outcome", "string", "pass, fail or closure."),
      field("hygiene_score", "integer", "0 to 100."),
      field("wait_minutes", "integer", "Minutes the inspector waited to be let in."),
    ],
  },
};
const visitRecords = Array.from({ length: 18 }, (_, i) => ({
  visit_id: `CV-${200 + i}`,
  cafe: `Café ${String.fromCharCode(65 + i)}`,
  visited_on: `2026-0${1 + (i % 6)}-1${i % 10}`,
  outcome: ["pass", "fail", "closure"][i % 3]!,
  hygiene_score: 40 + i * 3,
  wait_minutes: 5 + (i % 4) * 10,
}));
const visitPlan = (question: string) => planQuestion(question, visits, buildCatalog(visits.schema, visitRecords), { today: new Date("2026-12-01T12:00:00Z") }).plan;

describe("a stated today, counts said with 'altogether', best and worst", () => {
  it("counts relative dates from the day the question says it is, which is no condition itself", () => {
    expect(visitPlan("Last quarter (we're in April 2026), how many visits ended in a closure?").filters).toEqual([
      expect.objectContaining({ field: "outcome", op: "eq", value: "closure" }),
      expect.objectContaining({ field: "visited_on", op: "between", values: ["2026-01-01", "2026-03-31"] }),
    ]);
    expect(visitPlan("How many visits ended in a closure last quarter?").filters).toContainEqual(expect.objectContaining({ values: ["2026-07-01", "2026-09-30"] }));
  });

  it("counts the records of 'how many … altogether' when the question names no number to add up", () => {
    expect(visitPlan("How many of our visits ended in closure altogether?")).toMatchObject({ operation: "count", filters: [expect.objectContaining({ field: "outcome", value: "closure" })] });
    expect(visitPlan("Altogether, how many minutes did inspectors wait?")).toMatchObject({ operation: "sum", field: "wait_minutes" });
  });

  it("reads the worst score as the lowest, the worst wait as the longest", () => {
    expect(visitPlan("Which café got the worst hygiene score?")).toMatchObject({ operation: "min", field: "hygiene_score" });
    expect(visitPlan("Which café got the best hygiene score?")).toMatchObject({ operation: "max", field: "hygiene_score" });
    expect(visitPlan("Which visit had the worst wait in minutes?")).toMatchObject({ operation: "max", field: "wait_minutes" });
  });

  it("takes '… or better' as at least, and a number for the field closest to it", () => {
    expect(visitPlan("Which visits got a hygiene score of 70 or better?").filters).toEqual([expect.objectContaining({ field: "hygiene_score", op: "gte", value: 70 })]);
    expect(visitPlan("Which visits of at least 15 wait minutes got a hygiene score of 70 or better?").filters).toEqual([
      expect.objectContaining({ field: "wait_minutes", op: "gte", value: 15 }),
      expect.objectContaining({ field: "hygiene_score", op: "gte", value: 70 }),
    ]);
  });

  it("finds nothing to count when what is counted is none of the product's records, fields or values", () => {
    const planned = (question: string) => planQuestion(question, visits, buildCatalog(visits.schema, visitRecords), { today: new Date("2026-12-01T12:00:00Z") });
    expect(planned("How many tables were free at the cafés last week?").problem).toBe("Café Visits holds no tables to count");
    expect(planned("How many visits ended in closure?").problem).toBeUndefined();
    expect(planned("How many times did a café fail?").problem).toBeUndefined();
    expect(planned("How many cafés failed?").problem).toBeUndefined();
  });
});
