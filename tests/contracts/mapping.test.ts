import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2019 from "ajv/dist/2019";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { toOdcs, toOdps, toYaml, type ContractProduct } from "@/lib/mesh/contracts/export";
import { mapContracts, parseContractYaml } from "@/lib/mesh/contracts/import";
import { productInputSchema } from "@/lib/validation/product";

/**
 * ODPS/ODCS export and import as pure mappings (lib/mesh/contracts): every
 * demo product survives export → YAML → import unchanged, its ODCS export is
 * valid against the standard's own JSON Schema (vendored, see standard/README.md),
 * and the standard's published examples map or fail with YAML paths.
 */

const here = path.join(process.cwd(), "tests", "contracts", "standard");
const demo = JSON.parse(readFileSync(path.join(process.cwd(), "prisma", "seed", "demo-products.json"), "utf8")) as { products: Record<string, unknown>[] };
const demoProducts: ContractProduct[] = demo.products.map(({ records: _records, semanticSearchFields: _fields, ...product }) => productInputSchema.parse(product));

const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats(ajv);
const validateOdcs = ajv.compile(JSON.parse(readFileSync(path.join(here, "odcs-json-schema-v3.1.0.json"), "utf8")));

const example = (kind: "odcs" | "odps", file: string) => readFileSync(path.join(here, "examples", kind, file), "utf8");
const mapYaml = (...texts: string[]) => mapContracts(texts.flatMap((text) => parseContractYaml(text).documents));

describe("export → import round trip", () => {
  it.each(demoProducts.map((product) => [`${product.domain}/${product.name}`, product] as const))("%s comes back unchanged", (_address, product) => {
    const mapped = mapYaml(toYaml(toOdps(product)), toYaml(toOdcs(product)));
    expect(mapped.errors).toEqual([]);
    expect(mapped.notes).toEqual([]);
    expect({ domain: mapped.domain, name: mapped.name, ...mapped.fields }).toEqual({
      domain: product.domain,
      name: product.name,
      title: product.title,
      description: product.description,
      owner: product.owner,
      tags: product.tags,
      status: product.status,
      version: product.version,
      schema: product.schema,
      sla: product.sla,
    });
  });

  it("a product with an event-time field, a frequency as contracts write it and a rule of every metric comes back unchanged, and validates", () => {
    const base = demoProducts.find((candidate) => candidate.schema.fields.some((field) => field.type === "timestamp"))!;
    const time = base.schema.fields.find((field) => field.type === "timestamp")!.name;
    const text = base.schema.fields.find((field) => field.type === "string" && field.name !== base.schema.primaryKey)!.name;
    const product = productInputSchema.parse({
      ...base,
      sla: { freshnessHours: 2, retentionDays: 30, updateFrequency: "every 15 minutes", eventTimeField: time },
      quality: [
        { id: "key-present", metric: "nullValues", property: base.schema.primaryKey, severity: "error", rejectLoad: true },
        { id: "few-missing", description: "Mostly filled in", metric: "nullValues", property: text, unit: "percent", mustBeLessThan: 5 },
        { id: "key-unique", metric: "duplicateValues", property: base.schema.primaryKey },
        { id: "shape", metric: "invalidValues", property: text, arguments: { pattern: "^[a-z]" }, severity: "warning" },
        { id: "in-range", metric: "invalidValues", property: time, arguments: { minimum: "2020-01-01" } },
        { id: "enough-rows", metric: "rowCount", mustBeGreaterOrEqualTo: 10 },
        { id: "recent", metric: "freshness", property: time, mustBeLessOrEqualTo: 24, severity: "error" },
      ],
    });
    const yaml = toYaml(toOdcs(product));
    const mapped = mapYaml(toYaml(toOdps(product)), yaml);
    expect(mapped.errors).toEqual([]);
    expect(mapped.notes).toEqual([]);
    const again = productInputSchema.parse({ ...mapped.fields, domain: mapped.domain, name: mapped.name });
    expect(again.sla).toEqual(product.sla);
    // ODCS places each rule on its property, so they come back grouped by field.
    expect(again.quality).toHaveLength(product.quality.length);
    expect(again.quality).toEqual(expect.arrayContaining(product.quality));
    expect(toYaml(toOdcs(again))).toBe(yaml);
    const document = parseContractYaml(yaml).documents[0]!.data;
    expect(validateOdcs(document) ? [] : validateOdcs.errors).toEqual([]);
    expect(document.slaProperties).toContainEqual(expect.objectContaining({ property: "latency", element: `${product.name}.${time}` }));
  });

  it.each([
    ["and other SLA values", { availabilityPercent: 99, updateFrequency: "daily" }],
    ["and no other SLA value", {}],
  ] as const)("an event-time field without freshness or retention is the contract's custom property, %s, and comes back", (_case, others) => {
    const base = demoProducts.find((candidate) => candidate.schema.fields.some((field) => field.type === "timestamp"))!;
    const time = base.schema.fields.find((field) => field.type === "timestamp")!.name;
    const product = productInputSchema.parse({ ...base, sla: { ...others, eventTimeField: time } });
    const yaml = toYaml(toOdcs(product));
    const document = parseContractYaml(yaml).documents[0]!.data;
    expect(document.customProperties).toEqual([{ property: "eventTimeField", value: `${product.name}.${time}`, description: expect.any(String) }]);
    expect(validateOdcs(document) ? [] : validateOdcs.errors).toEqual([]);
    const mapped = mapYaml(toYaml(toOdps(product)), yaml);
    expect(mapped.errors).toEqual([]);
    expect(mapped.notes).toEqual([]);
    expect(mapped.fields.sla).toEqual(product.sla);
    expect(toYaml(toOdcs(productInputSchema.parse({ ...mapped.fields, domain: mapped.domain, name: mapped.name })))).toBe(yaml);
  });

  it("writes the event-time field once, as the element, when freshness or retention carries it", () => {
    const product = productInputSchema.parse({ ...demoProducts[0]!, sla: { retentionDays: 30, eventTimeField: "opened_at" } });
    const odcs = toOdcs(product);
    expect(odcs.customProperties).toBeUndefined();
    expect(odcs.slaProperties).toEqual([expect.objectContaining({ property: "retention", element: `${product.name}.opened_at` })]);
  });

  it("reads ODCS 3.0's slaDefaultElement as the event-time field, and reports other custom properties", () => {
    const mapped = mapYaml(
      [
        "apiVersion: v3.0.2",
        "kind: DataContract",
        "id: orders-contract",
        "status: active",
        "version: 1.0.0",
        "slaDefaultElement: orders.placed_at",
        "slaProperties:",
        "  - property: availability",
        "    value: 99",
        "customProperties:",
        "  - property: costCentre",
        "    value: 42",
      ].join("\n"),
    );
    expect(mapped.errors).toEqual([]);
    expect(mapped.fields.sla).toEqual({ availabilityPercent: 99, eventTimeField: "placed_at" });
    expect(mapped.sources["sla.eventTimeField"]).toBe("slaDefaultElement");
    expect(mapped.notes).toContainEqual({ path: "customProperties[0]", message: 'the custom property "costCentre" is not represented in the portal, left out' });
  });

  it("exports SLA values and PII the standard's way", () => {
    const product = demoProducts.find((candidate) => candidate.schema.fields.some((field) => field.pii)) ?? demoProducts[0]!;
    const odcs = toOdcs({ ...product, sla: { freshnessHours: 6, availabilityPercent: 99.5, latencyMsP95: 250, retentionDays: 365, updateFrequency: "hourly" } });
    expect(odcs.slaProperties).toEqual([
      expect.objectContaining({ property: "latency", value: 6, unit: "h" }),
      expect.objectContaining({ property: "availability", value: 99.5, unit: "percent" }),
      expect.objectContaining({ property: "queryLatencyP95", value: 250, unit: "ms" }),
      expect.objectContaining({ property: "retention", value: 365, unit: "d" }),
      expect.objectContaining({ property: "frequency", value: "hourly" }),
    ]);
  });
});

describe("the ODCS export and the ODCS v3.1.0 JSON Schema", () => {
  it.each(demoProducts.map((product) => [`${product.domain}/${product.name}`, product] as const))("%s validates", (_address, product) => {
    const document = parseContractYaml(toYaml(toOdcs(product))).documents[0]!.data;
    expect(validateOdcs(document) ? [] : validateOdcs.errors).toEqual([]);
  });

  it("the validator can fail: a property with an unknown logicalType is refused", () => {
    const document = toOdcs(demoProducts[0]!) as { schema: { properties: Record<string, unknown>[] }[] };
    document.schema[0]!.properties[0]!.logicalType = "bigint";
    expect(validateOdcs(document)).toBe(false);
  });

  it("the standard's own full example validates against it (the schema file is sound)", () => {
    const document = parseContractYaml(example("odcs", "full-example.odcs.yaml")).documents[0]!.data;
    // The full example still writes team as a list, as v3.0 did; v3.1 made it an object.
    expect(validateOdcs({ ...document, team: { members: document.team } }) ? [] : validateOdcs.errors).toEqual([]);
  });
});

describe("the standard's published examples", () => {
  const paths = (items: { path: string }[]) => items.map((item) => item.path);

  it("full example: refused for its two tables, naming the path", () => {
    const mapped = mapYaml(example("odcs", "full-example.odcs.yaml"));
    expect(mapped.errors).toEqual([{ path: "schema", message: expect.stringContaining("one schema object; this contract has 2 (tbl, receivers)") }]);
    expect(paths(mapped.notes)).toEqual(expect.arrayContaining(["dataProduct", "description.limitations", "slaProperties[1]", "(document)"]));
    expect(mapped.fields.sla).toEqual({ freshnessHours: 96, eventTimeField: "txn_ref_dt", retentionDays: 1095, updateFrequency: "daily" });
  });

  it("all data types: array and object properties are refused by path, the others mapped", () => {
    const mapped = mapYaml(example("odcs", "all-data-types.odcs.yaml"));
    expect(mapped.errors).toEqual([
      { path: "schema[0].properties[6].logicalType", message: expect.stringContaining('"array" cannot be represented') },
      { path: "schema[0].properties[7].logicalType", message: expect.stringContaining('"object" cannot be represented') },
      { path: "schema[0].properties", message: expect.stringContaining("no property has primaryKey: true") },
    ]);
    expect(paths(mapped.notes)).toEqual(expect.arrayContaining(["schema[0].properties[2].logicalType", "schema[0].properties[0]"]));
  });

  it("SLA example: its latency (with the element it is measured on), retention and frequency map; the rest is reported", () => {
    const mapped = mapYaml(example("odcs", "database-table-sla.odcs.yaml"));
    expect(mapped.errors).toEqual([]);
    expect(mapped.fields.sla).toEqual({ freshnessHours: 96, eventTimeField: "txn_ref_dt", retentionDays: 1095, updateFrequency: "daily" });
    expect(mapped.fields.schema).toBeUndefined();
    expect(paths(mapped.notes)).toEqual(expect.arrayContaining(["dataProduct", "schema", "slaProperties[1]", "slaProperties[6]"]));
    expect(paths(mapped.notes)).not.toContain("slaProperties[0]");
  });

  it("quality examples: library metrics become rules, what the portal cannot run or store is reported by path", () => {
    const completeness = mapYaml(example("odcs", "column-completeness.odcs.yaml"));
    expect(completeness.errors).toEqual([]);
    expect(completeness.fields.quality).toEqual([
      { id: "uniqueid-nullvalues", description: "This column should not contain null values", metric: "nullValues", property: "UniqueID", severity: "error" },
    ]);
    expect(completeness.notes).toContainEqual({ path: "schema[0].properties[0].quality[0]", message: "not represented in the portal, left out: businessImpact" });

    const validity = mapYaml(example("odcs", "column-validity.odcs.yaml"));
    expect(validity.fields.quality).toEqual([
      expect.objectContaining({ metric: "invalidValues", property: "air_quality_status", arguments: { validValues: ["", "n/a"] }, mustBeLessOrEqualTo: 5, unit: "percent" }),
    ]);
    expect(paths(validity.notes)).toContain("schema[0].properties[0].quality[0].arguments.validValues");

    const custom = mapYaml(example("odcs", "column-custom.odcs.yaml"));
    expect(custom.fields.quality).toBeUndefined();
    expect(custom.notes).toContainEqual({ path: "schema[0].properties[0].quality[0]", message: "a custom quality check (engine soda) is not run by the portal: left out" });

    const accuracy = mapYaml(example("odcs", "column-accuracy.odcs.yaml"));
    expect(accuracy.errors).toEqual([expect.objectContaining({ path: "schema[0].properties" })]);
    expect(accuracy.notes).toContainEqual({ path: "schema[0].properties[0].quality[0]", message: expect.stringContaining('the quality metric "between" is not one the portal checks') });
  });

  it("a number with an integer physical type becomes an integer field", () => {
    const mapped = mapYaml(example("odcs", "column-completeness.odcs.yaml"));
    expect(mapped.fields.schema).toEqual({ primaryKey: "UniqueID", fields: [{ name: "UniqueID", type: "integer", required: true, description: "", pii: false }] });
  });

  it("ODPS examples map their metadata and report the ports and support they cannot store", () => {
    const simple = mapYaml(example("odps", "simple-data-product.odps.yaml"));
    expect(simple.errors).toEqual([]);
    expect(simple).toMatchObject({ name: "simple-data-product", fields: { title: "Simple Data Product", version: "1.0.0", status: "active", tags: ["test", "simple"] } });
    const customer = mapYaml(example("odps", "customer-data-product.odps.yaml"));
    expect(customer.errors).toEqual([]);
    expect(customer).toMatchObject({ domain: "seller", name: "customer-data-product", fields: { owner: "john.doe@retailcorp.com", status: "draft" } });
    expect(customer.notes.find((note) => note.path === "(document)")?.message).toMatch(/inputPorts.*managementPorts.*support/);
  });
});

describe("errors name the YAML path", () => {
  const contract = (properties: string) => `apiVersion: v3.1.0
kind: DataContract
id: x
version: 1.0.0
status: active
domain: payments
dataProduct: invoices
schema:
  - name: invoices
    properties:
${properties}`;

  it("an unknown logical type", () => {
    const mapped = mapYaml(contract(`      - { name: id, logicalType: string, primaryKey: true }
      - { name: a, logicalType: string }
      - { name: b, logicalType: string }
      - { name: c, logicalType: bigint }`));
    expect(mapped.errors).toEqual([{ path: "schema[0].properties[3].logicalType", message: 'unknown type "bigint"' }]);
  });

  it("a composite primary key and a bad field name", () => {
    const mapped = mapYaml(contract(`      - { name: id, logicalType: string, primaryKey: true }
      - { name: "bad name", logicalType: string, primaryKey: true }`));
    expect(paths(mapped.errors)).toEqual(["schema[0].properties[1].name", "schema[0].properties[1].primaryKey"]);
  });

  it("YAML syntax errors name line and column", () => {
    const { errors } = parseContractYaml("kind: DataContract\nschema: [\n");
    expect(errors[0]?.message).toMatch(/line \d+, column \d+/);
  });

  it("a document of another kind", () => {
    expect(parseContractYaml("kind: Something\n").errors).toEqual([{ path: "kind", message: 'expected DataProduct (ODPS) or DataContract (ODCS), got "Something"' }]);
  });

  function paths(items: { path: string }[]) {
    return items.map((item) => item.path);
  }
});
