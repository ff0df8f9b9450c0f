import { describe, expect, it } from "vitest";
import { schemaField as field } from "@/tests/helpers/fields";
import { buildCatalog } from "./catalog";
import { planQuestion, type PlanProduct } from "./planner";
import { factSentence, formatValue } from "./compose";

// A made-up product: parcels through two depots, each with a grade of damage and a fee.
const parcels: PlanProduct = {
  domain: "post",
  name: "parcels",
  title: "Parcel Scans",
  description: "Parcels scanned at the Harbor and Ridge depots for our customers, one row per parcel, with the damage found and the fee charged.",
  schema: {
    primaryKey: "parcel_id",
    fields: [
      field("parcel_id", "string", "Parcel number, prefixed PX-."),
      field("depot", "string", "Depot: Harbor Depot or Ridge Depot."),
      field("destination", "string", "Where the parcel went."),
      field("damage", "string", "Damage graded at the scan: none, minor, moderate or severe."),
      field("courier_code", "string", "Courier that carried it."),
      field("fee_usd", "number", "Fee charged in US dollars."),
      field("refund_usd", "number", "Refund paid back in US dollars.", false),
      field("weight_kg", "number", "Weight in kg."),
      field("box_weight_kg", "number", "Weight of the empty box in kg.", false),
      field("status", "string", "open, delivered (handed to the customer) or lost (declared lost after tracing)."),
      field("cold_chain", "boolean", "True when the parcel travels refrigerated."),
    ],
  },
};
const damages = ["none", "minor", "moderate", "severe"];
const destinations = ["Nursing home, Elm St", "City library", "Town hall", "Riverside school"];
const records = Array.from({ length: 20 }, (_, i) => ({
  parcel_id: `PX-${100 + i}`,
  depot: i % 2 ? "Harbor Depot" : "Ridge Depot",
  destination: destinations[i % 4]!,
  damage: damages[i % 4]!,
  courier_code: `CR-${i % 5}`,
  fee_usd: 10 + i,
  ...(i % 3 === 0 ? { refund_usd: 5 } : {}),
  weight_kg: 1 + i,
  box_weight_kg: 0.5,
  status: ["open", "delivered", "lost"][i % 3]!,
  cold_chain: i % 4 === 0,
}));
const catalog = buildCatalog(parcels.schema, records);
const plan = (question: string) => planQuestion(question, parcels, catalog, { today: new Date("2026-07-01T00:00:00Z") }).plan;

describe("plans on products the rules were not written for", () => {
  it("reads a name in capitals as a part of a value, even when the description lists the values", () => {
    expect(plan("How many parcels went through the Harbor depot?").filters).toContainEqual(expect.objectContaining({ field: "depot", op: "eq", value: "Harbor Depot" }));
    expect(plan("How many parcels went through the harbor?").filters).toEqual([]);
  });

  it("does not read a plural noun as the -ing word of a value", () => {
    expect(plan("How many parcels were late because there weren't enough nurses?").filters).toEqual([]);
  });

  it("reads a level of a scale with a bound as that level and those beyond it", () => {
    expect(plan("How many parcels had moderate or worse damage?").filters).toEqual([{ field: "damage", op: "in", values: ["moderate", "severe"], words: "moderate" }]);
    expect(plan("How many parcels had at least minor damage?").filters).toEqual([{ field: "damage", op: "in", values: ["minor", "moderate", "severe"], words: "minor" }]);
    expect(plan("How many parcels had minor damage or less?").filters).toEqual([{ field: "damage", op: "in", values: ["none", "minor"], words: "minor" }]);
    expect(plan("How many parcels had moderate damage?").filters).toEqual([expect.objectContaining({ field: "damage", op: "eq", value: "moderate" })]);
  });

  it("adds up the money field every record has when the question names none of several", () => {
    expect(plan("What did the parcels cost in total?")).toMatchObject({ operation: "sum", field: "fee_usd" });
  });

  it("reports the other fields a superlative question asks of its winner", () => {
    const planned = plan("Which parcel paid the highest fee, and which courier carried it?");
    expect(planned).toMatchObject({ operation: "max", field: "fee_usd", fields: ["courier_code"] });
    const top = records.at(-1)!;
    const { sentence } = factSentence({ domain: "post", name: "parcels", title: "Parcel Scans", schema: parcels.schema }, planned, { rows: [{ key: top.parcel_id, data: top, similarity: null }], matched: 20, value: 20, groups: [], capped: false });
    expect(sentence).toContain("courier\\_code **CR-4**");
  });

  it("looks up the field a later 'what' clause names", () => {
    expect(plan("The parcel to the town hall that was damaged: where did it go, and what was its weight?")).toMatchObject({ operation: "lookup", fields: expect.arrayContaining(["weight_kg"]) });
  });

  it("reads everyday phrases for a state", () => {
    expect(plan("How many parcels went missing?").filters).toEqual([expect.objectContaining({ field: "status", op: "eq", value: "lost" })]);
  });

  it("does not read a gloss word for what every record is about as its value", () => {
    expect(plan("How many parcels did customers send?").filters).toEqual([]);
  });

  it("keeps a negation out of a 'whether' clause", () => {
    expect(plan("How many parcels are not yet delivered, whether still open or lost?").filters).toContainEqual(
      expect.objectContaining({ field: "status", op: "in", values: ["open", "lost"] }),
    );
  });

  it("adds up the field kept in the unit 'how many' asks for, and counts what a field names only in part", () => {
    expect(plan("How many kilograms did the parcels to the town hall weigh?")).toMatchObject({ operation: "sum", field: "weight_kg" });
    expect(plan("How many boxes went missing?")).toMatchObject({ operation: "count" });
    expect(plan("How many kilograms did the Harbor depot send to the schools?")).toMatchObject({ operation: "sum", field: "weight_kg" });
  });

  it("names a yes/no field by the short first word of its name", () => {
    expect(plan("How many cold parcels went missing?").filters).toContainEqual(expect.objectContaining({ field: "cold_chain", op: "eq", value: true }));
  });

  it("keeps a plural noun that ends in -ings the plural of its value, and a comparison after a level a comparison", () => {
    const meetings: PlanProduct = { ...parcels, schema: { ...parcels.schema, fields: [...parcels.schema.fields, field("contact", "string", "How the courier reached the customer.")] } };
    const withContact = buildCatalog(meetings.schema, records.map((record, i) => ({ ...record, contact: ["Meeting", "Call", "Visit"][i % 3]! })));
    expect(planQuestion("How many meetings were held?", meetings, withContact).plan.filters).toContainEqual(expect.objectContaining({ field: "contact", value: "Meeting" }));
    expect(plan("How many parcels had minor damage and more than 5 kg?").filters).toContainEqual(expect.objectContaining({ field: "damage", op: "eq", value: "minor" }));
  });

  it("cannot answer a value asked of records when no field holds it", () => {
    const planned = planQuestion("What was the Harbor depot's revenue per parcel in March?", parcels, catalog, { today: new Date("2026-07-01T00:00:00Z") });
    expect(planned.problem).toMatch(/no field of Parcel Scans holds what the question asks/);
    expect(planQuestion("What was the fee of the parcel to the town hall in March?", parcels, catalog).problem).toBeUndefined();
  });
});

// A made-up product: repair jobs at depots named by code, each with a state and a temperature.
const jobs: PlanProduct = {
  domain: "works",
  name: "jobs",
  title: "Repair Jobs",
  description: "Repair jobs at our depots, one row per job, with the cost and the state of the job.",
  schema: {
    primaryKey: "job_id",
    fields: [
      field("job_id", "string", "Job number, prefixed JB-."),
      field("depot", "string", "Depot: NTH (North Yard) or STH (South Yard)."),
      field("status", "string", "completed, in-progress, on-hold or pending."),
      field("fixed", "boolean", "True once the fault was fixed."),
      field("cost_usd", "number", "Repair cost in US dollars."),
      field("oven_temp_c", "number", "Oven temperature in degrees Celsius."),
      field("drivable", "boolean", "False if the van could not be safely driven after the job."),
      field("accepted", "boolean", "True when the grader accepted it."),
    ],
  },
};
const jobRecords = Array.from({ length: 12 }, (_, i) => ({
  job_id: `JB-${i + 1}`,
  depot: i % 2 ? "NTH" : "STH",
  status: ["completed", "in-progress", "on-hold", "pending"][i % 4]!,
  fixed: i % 3 === 0,
  cost_usd: 100 + i,
  oven_temp_c: 150 + i,
  drivable: i % 2 === 0,
  accepted: i % 5 !== 0,
}));
const jobCatalog = buildCatalog(jobs.schema, jobRecords);
const planJob = (question: string) => planQuestion(question, jobs, jobCatalog, { today: new Date("2026-07-01T00:00:00Z") }).plan;

describe("plans of states waited for, everyday states, and totals said in other words", () => {
  it("reads waiting for a state as not being in it", () => {
    expect(planJob("How many jobs are still waiting to be fixed?").filters).toEqual([expect.objectContaining({ field: "fixed", op: "eq", value: false })]);
    expect(planJob("How many jobs are yet to be fixed?").filters).toEqual([expect.objectContaining({ field: "fixed", op: "eq", value: false })]);
    expect(planJob("How many jobs were fixed?").filters).toEqual([expect.objectContaining({ field: "fixed", op: "eq", value: true })]);
  });

  it("reads everyday words for stored states", () => {
    expect(planJob("Which jobs still aren't finished?").filters).toEqual([expect.objectContaining({ field: "status", op: "ne", value: "completed" })]);
    expect(planJob("Which jobs are being held back?").filters).toEqual([expect.objectContaining({ field: "status", op: "eq", value: "on-hold" })]);
    expect(planJob("Which jobs are we still waiting to hear back on?").filters).toEqual([expect.objectContaining({ field: "status", op: "eq", value: "pending" })]);
  });

  it("reads a negated 'false if' clause, and a field's own name, as the true state", () => {
    expect(planJob("How many vans couldn't be driven after the job?").filters).toEqual([expect.objectContaining({ field: "drivable", op: "eq", value: false })]);
    expect(planJob("How many vans were drivable?").filters).toEqual([expect.objectContaining({ field: "drivable", op: "eq", value: true })]);
    expect(planJob("How many jobs did the depot turn away?").filters).toEqual([expect.objectContaining({ field: "accepted", op: "eq", value: false })]);
  });

  it("adds up what the question says adds up, and reads warmth as a temperature's extreme", () => {
    expect(planJob("What did the repairs add up to in dollars?")).toMatchObject({ operation: "sum", field: "cost_usd" });
    expect(planJob("Which job ran the warmest oven?")).toMatchObject({ operation: "max", field: "oven_temp_c" });
    expect(planJob("Which job ran the coolest oven?")).toMatchObject({ operation: "min", field: "oven_temp_c" });
  });

  it("names a code by what its field's description spells it out as", () => {
    expect(formatValue(jobs.schema, "depot", "NTH")).toBe("North Yard \\(NTH\\)");
    expect(formatValue(jobs.schema, "status", "pending")).toBe("pending");
  });
});

describe("waiting on a thing", () => {
  it("is not waiting for a state", () => {
    expect(planJob("Which job is waiting on the North Yard?").filters).toEqual([expect.objectContaining({ field: "depot", op: "eq", value: "NTH" })]);
  });
});

// A made-up product: workshop sessions for members of three tiers, some held, some called off.
const sessions: PlanProduct = {
  domain: "club",
  name: "sessions",
  title: "Workshop Sessions",
  description: "Workshop sessions run for club members, one row per session, with the head count and what was paid.",
  schema: {
    primaryKey: "session_id",
    fields: [
      field("session_id", "string", "Session number, prefixed WS-."),
      field("topic", "string", "pottery, tires or baking."),
      field("member_tier", "string", "Loyalty tier of the booking member: silver, gold or platinum."),
      field("attended", "integer", "Head count."),
      field("fee_usd", "number", "Fee charged in US dollars."),
      field("total_paid_usd", "number", "Total paid at checkout in US dollars, fee and extras."),
      field("status", "string", "held or cancelled."),
      field("room_code", "string", "Room the session ran in: R1, R2 or R3."),
      field("complaints", "integer", "Complaints received about the session."),
      field("room_closed", "boolean", "True if the room closed to the public because of it."),
    ],
  },
};
const sessionRecords = Array.from({ length: 15 }, (_, i) => ({
  session_id: `WS-${i + 1}`,
  topic: ["pottery", "tires", "baking"][i % 3]!,
  member_tier: ["silver", "gold", "platinum"][i % 3]!,
  attended: 5 + i,
  fee_usd: 50 + 10 * i,
  total_paid_usd: 100 + 60 * i,
  status: i % 4 === 0 ? "cancelled" : "held",
  room_code: `R${(i % 3) + 1}`,
  complaints: i % 3,
  room_closed: i % 5 === 0,
}));
const sessionCatalog = buildCatalog(sessions.schema, sessionRecords);
const closedSynonyms = (word: string) => (word === "closed" ? ["shut"] : []);
const planSession = (question: string) => planQuestion(question, sessions, sessionCatalog, { today: new Date("2026-07-01T00:00:00Z"), synonyms: closedSynonyms }).plan;

describe("plans of totals over many records, thresholds on a total, and levels of a tier", () => {
  it("adds up 'how much' over many records, and looks it up for one", () => {
    expect(planSession("How much have we taken in fees on pottery and baking classes?")).toMatchObject({ operation: "sum", field: "fee_usd" });
    expect(planSession("How much did the member who booked the pottery session with the broken wheel pay?")).toMatchObject({ operation: "lookup" });
    expect(planSession("What did we charge in fees for pottery and baking classes?")).toMatchObject({ operation: "sum", field: "fee_usd" });
    expect(planSession("How much money did we charge in fees to members of the teacher who left early?")).toMatchObject({ operation: "sum", field: "fee_usd" });
  });

  it("reads a threshold said of a total as a condition on the total field, not a sum", () => {
    expect(planSession("Which sessions came to more than $500 in total?")).toMatchObject({
      operation: "list",
      filters: [expect.objectContaining({ field: "total_paid_usd", op: "gt", value: 500 })],
    });
    expect(planSession("What did the pottery sessions come to in total?")).toMatchObject({ operation: "sum" });
  });

  it("averages a head count asked as people, and reads 'went ahead' as held", () => {
    expect(planSession("On average, how many people came to sessions that went ahead?")).toMatchObject({
      operation: "avg",
      field: "attended",
      filters: [expect.objectContaining({ field: "status", op: "eq", value: "held" })],
    });
  });

  it("reaches an exclusion into the clause that says what it leaves out", () => {
    expect(planSession("What was the average fee, leaving out sessions that were cancelled?").filters).toEqual([expect.objectContaining({ field: "status", op: "ne", value: "cancelled" })]);
    expect(planSession("Which sessions that were cancelled had a pottery topic?").filters).toContainEqual(expect.objectContaining({ field: "status", op: "eq", value: "cancelled" }));
    expect(planSession("Other than pottery, which sessions were cancelled?").filters).toContainEqual(expect.objectContaining({ field: "status", op: "eq", value: "cancelled" }));
  });

  it("reads the top of a tier as its highest level, and a British spelling as the stored one", () => {
    expect(planSession("How many sessions went to our top-tier members?").filters).toEqual([expect.objectContaining({ field: "member_tier", op: "eq", value: "platinum" })]);
    expect(planSession("How many tyre sessions were there?").filters).toEqual([expect.objectContaining({ field: "topic", op: "eq", value: "tires" })]);
  });

  it("reads a count field named after 'no' or 'nothing' as zero", () => {
    expect(planSession("How many pottery sessions drew no complaints?").filters).toContainEqual(expect.objectContaining({ field: "complaints", op: "eq", value: 0 }));
  });

  it("names a two-word yes/no field by one word and a synonym of the other", () => {
    expect(planSession("How many sessions forced a room to shut?").filters).toEqual([expect.objectContaining({ field: "room_closed", op: "eq", value: true })]);
  });
});

describe("an extreme a field's description names", () => {
  const recalls: PlanProduct = {
    domain: "food",
    name: "recalls",
    title: "Product Recalls",
    description: "Recalls of our products, one row per recall.",
    schema: {
      primaryKey: "recall_id",
      fields: [
        field("recall_id", "string", "Recall number, prefixed RC-."),
        field("hazard_class", "string", "Hazard class A, B or C (A is the most serious)."),
        field("status", "string", "open or closed."),
      ],
    },
  };
  const recallCatalog = buildCatalog(recalls.schema, Array.from({ length: 9 }, (_, i) => ({ recall_id: `RC-${i}`, hazard_class: ["A", "B", "C"][i % 3]!, status: i % 2 ? "open" : "closed" })));
  const planRecall = (question: string) => planQuestion(question, recalls, recallCatalog).plan;

  it("reads 'the most serious class' as that value and 'the least serious' as the other end of the list", () => {
    expect(planRecall("Which of the most serious class of recalls are still open?")).toMatchObject({
      operation: "list",
      filters: expect.arrayContaining([expect.objectContaining({ field: "hazard_class", op: "eq", value: "A" }), expect.objectContaining({ field: "status", value: "open" })]),
    });
    expect(planRecall("How many recalls were of the least serious class?").filters).toEqual([expect.objectContaining({ field: "hazard_class", op: "eq", value: "C" })]);
    const graded: PlanProduct = { ...recalls, schema: { ...recalls.schema, fields: [recalls.schema.fields[0]!, field("grade", "string", "Grade given by a reviewer: C, B or A (A is the most serious).")] } };
    const gradedCatalog = buildCatalog(graded.schema, Array.from({ length: 9 }, (_, i) => ({ recall_id: `RC-${i}`, grade: ["A", "B", "C"][i % 3]! })));
    expect(planQuestion("How many recalls got the least serious grade?", graded, gradedCatalog).plan.filters).toEqual([expect.objectContaining({ field: "grade", op: "eq", value: "C" })]);
  });
});

describe("conditions between two fields of a record", () => {
  const loans: PlanProduct = {
    domain: "books",
    name: "loans",
    title: "Loans",
    description: "Items lent to members, one row per loan.",
    schema: {
      primaryKey: "loan_id",
      fields: [
        field("loan_id", "string", "Loan number, prefixed LN-."),
        field("checked_out_at", "timestamp", "Checkout time (UTC)."),
        field("due_date", "date", "Day the item is due."),
        field("returned_at", "timestamp", "Check-in time (UTC); missing while out.", false),
        field("pages_copied", "integer", "Pages the member copied."),
        field("copy_allowance", "integer", "Pages the member may copy."),
      ],
    },
  };
  const loanCatalog = buildCatalog(loans.schema, [{ loan_id: "LN-1", checked_out_at: "2026-03-01T10:00:00Z", due_date: "2026-03-15", pages_copied: 3, copy_allowance: 10 }]);
  const planLoan = (question: string) => planQuestion(question, loans, loanCatalog, { today: new Date("2026-07-01T00:00:00Z") }).plan;

  it("compares the field named before the comparison with the one named after it", () => {
    expect(planLoan("Which loans came back after they were due?").filters).toEqual([expect.objectContaining({ field: "returned_at", op: "gt", than: "due_date" })]);
    expect(planLoan("How many loans were returned before the due date?").filters).toEqual([expect.objectContaining({ field: "returned_at", op: "lt", than: "due_date" })]);
    expect(planLoan("Which members copied more pages than their copy allowance?").filters).toEqual([expect.objectContaining({ field: "pages_copied", op: "gt", than: "copy_allowance" })]);
    expect(planLoan("Which members copied pages more than their copy allowance?").filters).toEqual([expect.objectContaining({ field: "pages_copied", op: "gt", than: "copy_allowance" })]);
  });

  it("keeps a date or a number after the comparison a condition on a value", () => {
    expect(planLoan("Which loans were checked out after March 3?").filters).toEqual([expect.objectContaining({ field: "checked_out_at", op: "gte", value: "2026-03-04" })]);
    expect(planLoan("Which members copied more than 5 pages?").filters).toEqual([expect.objectContaining({ field: "pages_copied", op: "gt", value: 5 })]);
  });
});

describe("a number measured against its target", () => {
  const drives: PlanProduct = {
    domain: "giving",
    name: "drives",
    title: "Food Drives",
    description: "Food drives, one row per drive.",
    schema: {
      primaryKey: "drive_id",
      fields: [
        field("drive_id", "string", "Drive number, prefixed FD-."),
        field("status", "string", "completed or cancelled."),
        field("goal_boxes", "integer", "Boxes the organisers aimed for."),
        field("boxes_collected", "integer", "Boxes collected."),
        field("volunteers", "integer", "Volunteers who helped."),
      ],
    },
  };
  const driveCatalog = buildCatalog(
    drives.schema,
    Array.from({ length: 10 }, (_, i) => ({ drive_id: `FD-${i}`, status: i % 3 ? "completed" : "cancelled", goal_boxes: 40, boxes_collected: 5 * i, volunteers: i })),
  );
  const planDrive = (question: string) => planQuestion(question, drives, driveCatalog).plan;

  it("compares the number sharing a word with the target field against it", () => {
    expect(planDrive("How many drives that went ahead fell short of their target?").filters).toEqual([
      expect.objectContaining({ field: "boxes_collected", op: "lt", than: "goal_boxes" }),
      expect.objectContaining({ field: "status", op: "eq", value: "completed" }),
    ]);
    expect(planDrive("Which drives beat their goal?").filters).toEqual([expect.objectContaining({ field: "boxes_collected", op: "gt", than: "goal_boxes" })]);
    expect(planDrive("How many drives collected over 30 boxes?").filters).toEqual([expect.objectContaining({ field: "boxes_collected", op: "gt", value: 30 })]);
    expect(planDrive("How many drives with more than 10 volunteers fell short of their target?").filters).toEqual([
      expect.objectContaining({ field: "boxes_collected", op: "lt", than: "goal_boxes" }),
      expect.objectContaining({ field: "volunteers", op: "gt", value: 10 }),
    ]);
    expect(planDrive("Which drives came close to their goal?").filters.some((filter) => filter.than)).toBe(false);
  });
});

describe("several money fields, and a verb with its particle", () => {
  const shows: PlanProduct = {
    domain: "venue",
    name: "shows",
    title: "Show Settlements",
    description: "Concerts at the Larkspur Theatre, one row per show, settled with the promoter after the night.",
    schema: {
      primaryKey: "show_id",
      fields: [
        field("show_id", "string", "Show number, prefixed SH-."),
        field("room", "string", "Main Stage or Back Room."),
        field("tickets_sold", "integer", "Tickets sold for the show."),
        field("gross_usd", "number", "Box-office takings before costs, in US dollars."),
        field("refunded_usd", "number", "Amount actually refunded to ticket holders, in US dollars.", false),
        field("promoter_net_usd", "number", "Net result for the promoter after costs, in US dollars; negative when the show lost money."),
        field("sold_out", "boolean", "True when every ticket was sold."),
      ],
    },
  };
  const showCatalog = buildCatalog(
    shows.schema,
    Array.from({ length: 8 }, (_, i) => ({ show_id: `SH-${i}`, room: i % 2 ? "Main Stage" : "Back Room", tickets_sold: 100 + i, gross_usd: 1000 + i, ...(i % 3 ? {} : { refunded_usd: 50 }), promoter_net_usd: 100 - 40 * i, sold_out: i % 4 === 0 })),
  );
  const planShow = (question: string) => planQuestion(question, shows, showCatalog).plan;

  it("adds up the money field the question's words for money name", () => {
    expect(planShow("How much money did we hand back to fans?")).toMatchObject({ operation: "sum", field: "refunded_usd" });
    expect(planShow("How much have we given back altogether?")).toMatchObject({ operation: "sum", field: "refunded_usd" });
    expect(planShow("How much money did we take at the door?")).toMatchObject({ operation: "sum", field: "gross_usd" });
  });

  it("reads a loss of a net that is negative for a loss as its smallest value", () => {
    expect(planShow("Which show lost the most money?")).toMatchObject({ operation: "min", field: "promoter_net_usd" });
    expect(planShow("Which show made the most money?")).toMatchObject({ operation: "max", field: "promoter_net_usd" });
  });

  it("meets an irregular verb in any form, and its particle only with it", () => {
    expect(planShow("Which shows didn't sell out?").filters).toEqual([expect.objectContaining({ field: "sold_out", op: "eq", value: false })]);
    expect(planShow("How many seats did we sell?")).toMatchObject({ operation: "sum", field: "tickets_sold", filters: [] });
    expect(planShow("How many tickets were sold?")).toMatchObject({ operation: "sum", field: "tickets_sold", filters: [] });
  });
});
