import { describe, expect, it } from "vitest";
import { buildCatalog } from "./catalog";
import { planQuestion, type PlanProduct } from "./planner";
import type { Synonyms } from "./schema-links";

/** A made-up product (not one of the evaluation sets): building permits. */
const permits: PlanProduct = {
  domain: "city",
  name: "permits",
  title: "Building Permits",
  description: "Building permit applications to the city council, one row per application; refused ones may be appealed.",
  schema: {
    primaryKey: "permit_id",
    fields: [
      { name: "permit_id", type: "string", required: true, description: "Permit number, prefixed BP-.", pii: false },
      { name: "filed_on", type: "date", required: true, description: "Day the application was filed.", pii: false },
      { name: "status", type: "string", required: true, description: "approved, declined, withdrawn or closed.", pii: false },
      { name: "kind", type: "string", required: true, description: "residential, commercial, adu (accessory dwelling unit) or demolition.", pii: false },
      { name: "fee_usd", type: "number", required: true, description: "Fee charged in USD.", pii: false },
      { name: "priority", type: "string", required: true, description: "How soon the council reviews it.", pii: false },
      { name: "zone", type: "string", required: true, description: "Planning zone of the site: an industrial estate, a housing estate or a conservation area.", pii: false },
      { name: "revoked", type: "boolean", required: true, description: "True if the permit was revoked after approval.", pii: false },
    ],
  },
};

const statuses = ["approved", "declined", "withdrawn", "closed"];
const kinds = ["residential", "commercial", "adu", "demolition", "residential"];
const records = Array.from({ length: 24 }, (_, i) => ({
  permit_id: `BP-${100 + i}`,
  filed_on: `2026-0${(i % 6) + 1}-10`,
  status: statuses[i % 4]!,
  kind: kinds[i % 5]!,
  priority: ["normal", "low", "urgent", "high"][i % 4]!,
  zone: ["North Harbour industrial estate", "Old Town conservation area", "Riverside housing estate"][i % 3]!,
  fee_usd: 50 + i * 10,
  revoked: i % 5 === 0,
}));
const catalog = buildCatalog(permits.schema, records);

/** A thesaurus of a few entries, as WordNet gives them (lib/ai/local/wordnet.ts). */
const THESAURUS: Record<string, string[]> = {
  declined: ["worsen", "refuse", "reject", "pass up", "turn down"],
  withdrawn: ["decline", "retreat"],
  closed: ["shut", "close down", "end"],
  revoked: ["annul", "rescind", "call off"],
};
const synonyms: Synonyms = (value) => THESAURUS[value] ?? [];
const today = new Date("2026-07-01T00:00:00Z");
const none: Synonyms = () => [];
const filtersOf = (question: string, thesaurus: Synonyms = synonyms) =>
  planQuestion(question, permits, catalog, { today, synonyms: thesaurus }).plan.filters.map(({ field, op, value, values }) => `${field} ${op} ${String(value ?? values)}`);

describe("values said in other words, and levels of a scale", () => {
  it("links a synonym of a stored value, said as a participle, and says how it read it", () => {
    expect(filtersOf("How many permits were turned down?")).toEqual(["status eq declined"]);
    expect(planQuestion("How many permits were turned down?", permits, catalog, { today, synonyms }).plan.notes).toContain('read "turned down" as status = declined');
    expect(filtersOf("How many permits were turned down?", none)).toEqual([]);
  });

  it("reads the base form after an auxiliary as the participle's verb", () => {
    expect(filtersOf("How many permits did the council turn down?")).toEqual(["status eq declined"]);
  });

  it("does not read a noun as a participle's synonym", () => {
    expect(filtersOf("Which permits were filed at the end of March 2026?")).toEqual([expect.stringMatching(/^filed_on /)]);
  });

  it("prefers the value named in its own words to a synonym of another value", () => {
    expect(filtersOf("How many permits were declined?")).toEqual(["status eq declined"]);
  });

  it("leaves out a single-word synonym the product uses to describe itself", () => {
    // "refused" is in the product's description: too general there to single out the value.
    expect(filtersOf("How many permits were refused?")).toEqual([]);
    expect(filtersOf("How many permits were rejected?")).toEqual(["status eq declined"]);
  });

  it("reads a value said in passing and again in full where it is said in full", () => {
    expect(filtersOf("Which dwelling permits (residential or accessory dwelling units) were approved?", none)).toEqual(["status eq approved", "kind in residential,adu"]);
  });

  it("reads a superlative of a field whose values are levels of a scale as its top or bottom level", () => {
    const highest = planQuestion("How many permits have the highest priority?", permits, catalog, { today, synonyms }).plan;
    expect([highest.operation, highest.filters.map((filter) => `${filter.field} ${filter.op} ${String(filter.value)}`)]).toEqual(["count", ["priority eq urgent"]]);
    expect(filtersOf("Which permits had the lowest priority?")).toEqual(["priority eq low"]);
    expect(planQuestion("Which permit had the highest fee?", permits, catalog, { today }).plan).toMatchObject({ operation: "max", field: "fee_usd", filters: [] });
  });

  it("reads two words said together as they stand in one value, even words the product describes itself with", () => {
    expect(filtersOf("How many permits were filed in the conservation area?")).toEqual(["zone eq Old Town conservation area"]);
    expect(filtersOf("How many permits were filed in an estate?")).toEqual([]);
  });

  it("names a yes/no field by a synonym of its one-word name", () => {
    expect(filtersOf("Which permits were rescinded?")).toEqual(["revoked eq true"]);
    expect(filtersOf("Which permits were rescinded?", none)).toEqual([]);
  });
});
