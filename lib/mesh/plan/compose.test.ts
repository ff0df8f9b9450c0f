import { describe, expect, it } from "vitest";
import type { Execution, Plan } from "../../validation/answers";
import { composeFact, composeLinks, nothingFound, planInWords, type ComposedProduct } from "./compose";

const product: ComposedProduct = {
  domain: "retail",
  name: "orders",
  title: "Web Orders",
  schema: {
    primaryKey: "order_id",
    fields: [
      { name: "order_id", type: "string", required: true, description: "", pii: false },
      { name: "ship_city", type: "string", required: true, description: "", pii: false },
      { name: "status", type: "string", required: true, description: "", pii: false },
      { name: "amount_usd", type: "number", required: true, description: "", pii: false },
    ],
  },
};
const rows: Execution["rows"] = [
  { key: "ORD-1", data: { order_id: "ORD-1", ship_city: "Austin, TX", status: "open", amount_usd: 1250.5 }, similarity: 0.6 },
  { key: "ORD-2", data: { order_id: "ORD-2", ship_city: "[evil](//x.example)", status: "open", amount_usd: 20 }, similarity: 0.4 },
];
const base: Plan = { product: "retail/orders", operation: "count", fields: [], filters: [{ field: "status", op: "eq", value: "open" }], limit: 25, search: "", confidence: 1, notes: [] };
const execution = (overrides: Partial<Execution> = {}): Execution => ({ matched: 2, value: 2, rows, groups: [], capped: false, ...overrides });

describe("composeFact", () => {
  it("states a count first, then the plan in words and a table citing every counted record", () => {
    const { text, values, citations } = composeFact(product, base, execution());
    expect(text.split("\n")[0]).toBe("**2** Web Orders records match: status is open.");
    expect(text).toContain("_Counted Web Orders records where status is open._");
    expect(text).toContain("| [ORD-1](/products/retail/orders/records/ORD-1) | Austin, TX | open |");
    expect(values).toEqual([2]);
    expect(citations.map((citation) => citation.key)).toEqual(["ORD-1", "ORD-2"]);
  });

  it("escapes record text so that it cannot become a link", () => {
    const { text } = composeFact(product, base, execution());
    expect(text).not.toContain("](//x.example)");
    expect(text).toContain("\\[evil\\]\\(//x.example\\)");
  });

  it("states totals with their currency, averages with the rounding asked for", () => {
    const sum = composeFact(product, { ...base, operation: "sum", field: "amount_usd" }, execution({ value: 1270.5 }));
    expect(sum.text.split("\n")[0]).toMatch(/^The total amount\\_usd is \*\*\$1,270.5\*\*, over 2 records of Web Orders where status is open\.$/);
    const average = composeFact(product, { ...base, operation: "avg", field: "amount_usd", decimals: 0 }, execution({ value: 635.25 }));
    expect(average.text.split("\n")[0]).toContain("**$635**");
    const hours = composeFact(product, { ...base, operation: "sum", field: "amount_usd", scale: { factor: 1 / 60, unit: "hours" } }, execution({ value: 405 }));
    expect(hours.text.split("\n")[0]).toContain("is **6.75 hours** (405), over 2 records");
    const cents: ComposedProduct = { ...product, schema: { ...product.schema, fields: [...product.schema.fields, { name: "fee_cents", type: "integer", required: true, description: "", pii: false }] } };
    const fee = composeFact(cents, { ...base, operation: "lookup", fields: ["fee_cents"] }, execution({ rows: [{ ...rows[0]!, data: { ...rows[0]!.data, fee_cents: 2200 } }] }));
    expect(fee.text.split("\n")[0]).toContain("fee\\_cents is **$22 (2,200 cents)**");
    const unrounded = composeFact(product, { ...base, operation: "avg", field: "amount_usd" }, execution({ value: 635.256 }));
    expect(unrounded.text.split("\n")[0]).toContain("**$635.26** (about $635.3)");
  });

  it("names the winning record of a superlative and the looked-up value of a lookup", () => {
    const max = composeFact(product, { ...base, operation: "max", field: "amount_usd", limit: 1 }, execution({ rows: rows.slice(0, 1) }));
    expect(max.text.split("\n")[0]).toBe("The highest amount\\_usd is **$1,250.5**: [ORD-1](/products/retail/orders/records/ORD-1) (Austin, TX).");
    const lookup = composeFact(product, { ...base, operation: "lookup", fields: ["status"] }, execution());
    expect(lookup.text.split("\n")[0]).toContain("status is **open**");
    expect(lookup.values).toEqual(["open"]);
  });

  it("answers a question about one record that names no field with the passage that matched and the record's other prose", () => {
    const incidents: ComposedProduct = {
      domain: "it",
      name: "incidents",
      title: "Incidents",
      schema: {
        primaryKey: "id",
        fields: ["id", "service", "summary", "root_cause", "fix"].map((name) => ({ name, type: "string" as const, required: true, description: "", pii: false })),
      },
    };
    // The label (service) names the record once, however many words it has.
    const data = { id: "INC-7", service: "video visits for patients", summary: "No video visit could connect. Patients saw a spinner.", root_cause: "The relay server's certificate expired.", fix: "Renewed the certificate and added an expiry alert." };
    const { text } = composeFact(incidents, { ...base, product: "it/incidents", operation: "lookup", filters: [], search: "what was behind the outage where no video visit could connect?" }, execution({ rows: [{ key: "INC-7", data, similarity: 0.5 }] }));
    expect(text.split("\n")[0]).toBe(
      "The closest Incidents record is [INC-7](/products/it/incidents/records/INC-7) (video visits for patients): “No video visit could connect.”. Its root\\_cause: “The relay server's certificate expired.”; fix: “Renewed the certificate and added an expiry alert.”.",
    );
  });

  it("says in the plan's words that a list kept only the records relevant to the question", () => {
    const { text } = composeFact(product, { ...base, operation: "list", filters: [], relevantOnly: true, search: "gift orders" }, execution());
    expect(text).toContain("_Listed Web Orders records where the record is relevant to the question \\(semantic search\\)");
  });

  it("answers yes or no, and a 'no' shows the records that decide it", () => {
    const yes = composeFact(product, { ...base, operation: "exists" }, execution());
    expect(yes.text).toMatch(/^\*\*Yes\*\*: 2 records/);
    const over = composeFact(
      product,
      { ...base, operation: "exists", filters: [...base.filters, { field: "amount_usd", op: "gt", value: 1000 }] },
      execution({ matched: 1, rows: rows.slice(0, 1) }),
    );
    expect(over.text.split("\n")[0]).toBe(
      "**Yes**: 1 record of Web Orders matches where status is open and amount\\_usd is over 1,000: [ORD-1](/products/retail/orders/records/ORD-1) (Austin, TX) (amount\\_usd **$1,250.5**).",
    );
    const plan: Plan = { ...base, operation: "exists", filters: [...base.filters, { field: "ship_city", op: "eq", value: "Reno, NV" }] };
    const deciding = { plan: { ...plan, operation: "list" as const, filters: [plan.filters[1]!] }, execution: execution({ matched: 1, rows: rows.slice(1) }) };
    const no = composeFact(product, plan, execution({ matched: 0, rows: [] }), deciding);
    expect(no.text.split("\n")[0]).toBe("**No**: no Web Orders record matches where status is open and ship\\_city is Reno, NV. Of the 1 Web Orders records where ship\\_city is Reno, NV, none has status is open.");
    expect(no.citations.map((citation) => citation.key)).toEqual(["ORD-2"]);
  });

  it("says when rows were capped", () => {
    expect(composeFact(product, { ...base, operation: "list" }, execution({ matched: 40, capped: true })).text).toContain("Showing 2 of 40 matching records.");
  });
});

describe("composeLinks", () => {
  it("states what the question asks of the linked record first and cites both records", () => {
    const claims: ComposedProduct = {
      domain: "insurance",
      name: "claims",
      title: "Claims",
      schema: {
        primaryKey: "claim_id",
        fields: [
          { name: "claim_id", type: "string", required: true, description: "", pii: false },
          { name: "order_ref", type: "string", required: true, description: "", pii: false },
          { name: "paid_usd", type: "number", required: false, description: "", pii: false },
        ],
      },
    };
    const best = { ...base, operation: "lookup" as const, fields: [] };
    const claimPlan: Plan = { ...base, product: "insurance/claims", operation: "lookup", fields: ["paid_usd"], filters: [] };
    const { text, citations, values } = composeLinks(
      [
        {
          link: { value: "ORD-1", from: { product: "retail/orders", key: "ORD-1", field: "order_id" }, to: { product: "insurance/claims", key: "CLM-9", field: "order_ref" } },
          from: { product, plan: best, key: "ORD-1", data: rows[0]!.data },
          to: { product: claims, plan: claimPlan, key: "CLM-9", data: { claim_id: "CLM-9", order_ref: "ORD-1", paid_usd: 300 } },
        },
      ],
      best,
    );
    expect(text.split("\n")[0]).toBe(
      "[CLM-9](/products/insurance/claims/records/CLM-9) in Claims: paid\\_usd **$300**. It shares ORD-1 with [ORD-1](/products/retail/orders/records/ORD-1) (Austin, TX) in Web Orders.",
    );
    expect(values).toEqual([300]);
    expect(citations.map((citation) => citation.key)).toEqual(["ORD-1", "CLM-9"]);
  });
});

describe("words", () => {
  it("puts the plan in plain words", () => {
    expect(planInWords({ ...base, operation: "sum", field: "amount_usd", filters: [{ field: "amount_usd", op: "gt", value: 100 }, { field: "status", op: "in", values: ["open", "shipped"] }] }, "Web Orders")).toBe(
      "Added up amount_usd over Web Orders records where amount_usd is over 100 and status is open or shipped.",
    );
  });

  it("says nothing relevant was found, naming the products consulted", () => {
    expect(nothingFound("What is the weather?", ["Web Orders"])).toMatch(/^I found nothing relevant to “What is the weather\?” in \*\*Web Orders\*\*/);
  });
});
