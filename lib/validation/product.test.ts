import { describe, expect, it } from "vitest";
import { toFieldErrors } from "../errors";
import {
  productFiltersSchema,
  productInputSchema,
  productOutputSchema,
  productUpdateSchema,
  type ProductFormValues,
} from "./product";
import { outputFieldSchema } from "./inference";

function validProduct(): ProductFormValues {
  return {
    domain: "payments",
    name: "chargeback-cases",
    title: "Chargeback cases",
    description: "Disputed card payments",
    owner: "payments-team@example.com",
    tags: ["finance", "Disputes"],
    status: "active",
    version: "1.2.3",
    schema: {
      primaryKey: "case_id",
      fields: [
        { name: "case_id", type: "string", required: true },
        { name: "amount", type: "number", description: "In EUR" },
        { name: "opened_at", type: "timestamp", pii: false },
      ],
    },
    sla: { freshnessHours: 24, availabilityPercent: 99.9, latencyMsP95: 250, retentionDays: 365, updateFrequency: "daily" },
  };
}

/** The fieldErrors produced by parsing `input`, or throws if it parsed. */
function fieldErrorsOf(input: unknown, schema: typeof productInputSchema | typeof productUpdateSchema = productInputSchema) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected a validation error, got ${JSON.stringify(result.data)}`);
  return toFieldErrors(result.error);
}

function withChange(change: (product: ProductFormValues) => void): ProductFormValues {
  const product = validProduct();
  change(product);
  return product;
}

describe("productInputSchema", () => {
  it("accepts a valid product, normalising tags and applying field defaults", () => {
    const parsed = productInputSchema.parse(validProduct());
    expect(parsed.domain).toBe("payments");
    expect(parsed.tags).toEqual(["finance", "disputes"]);
    expect(parsed.schema.fields[1]).toEqual({ name: "amount", type: "number", required: false, description: "In EUR", pii: false });
    expect(parsed.sla.availabilityPercent).toBe(99.9);
  });

  it("applies defaults for the optional fields of a minimal product", () => {
    const parsed = productInputSchema.parse({
      domain: "hr",
      name: "job-postings",
      title: "Job postings",
      owner: "hr@example.com",
      schema: { primaryKey: "id", fields: [{ name: "id", type: "integer", required: true }] },
    });
    expect(parsed).toMatchObject({ description: "", tags: [], status: "draft", version: "1.0.0", sla: {} });
  });

  it.each([
    ["upper case", "Payments"],
    ["underscore", "pay_ments"],
    ["double hyphen", "pay--ments"],
    ["leading hyphen", "-payments"],
    ["trailing hyphen", "payments-"],
    ["too short", "p"],
    ["too long", "a".repeat(64)],
  ])("rejects a domain that is not kebab-case (%s)", (_case, domain) => {
    const errors = fieldErrorsOf(withChange((p) => (p.domain = domain)));
    expect(Object.keys(errors)).toEqual(["domain"]);
  });

  it("rejects a name that is not kebab-case", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.name = "Chargeback Cases")));
    expect(Object.keys(errors)).toEqual(["name"]);
    expect(errors.name?.[0]).toMatch(/kebab-case/);
  });

  it("rejects an owner that is not an email address", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.owner = "payments team")));
    expect(errors).toEqual({ owner: ["Owner must be an email address"] });
  });

  it("rejects duplicate field names (case-insensitively) at the later field", () => {
    const errors = fieldErrorsOf(
      withChange((p) => p.schema.fields.push({ name: "Amount", type: "integer" })),
    );
    expect(Object.keys(errors)).toEqual(["schema.fields.3.name"]);
    expect(errors["schema.fields.3.name"]?.[0]).toMatch(/Duplicate field name "Amount" \(also field 2\)/);
  });

  it("rejects a primary key that is not one of the fields", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.schema.primaryKey = "missing")));
    expect(errors).toEqual({ "schema.primaryKey": ["The primary key must be one of the fields"] });
  });

  it("rejects a primary key field that is not required", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.schema.primaryKey = "amount")));
    expect(errors).toEqual({ "schema.primaryKey": ["The primary key field must be required"] });
  });

  it("rejects an empty field list", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.schema.fields = [])));
    expect(errors["schema.fields"]).toEqual(["Add at least one field"]);
  });

  it("rejects an unknown field type", () => {
    const errors = fieldErrorsOf(
      withChange((p) => {
        (p.schema.fields[1] as { type: string }).type = "float";
      }),
    );
    expect(Object.keys(errors)).toEqual(["schema.fields.1.type"]);
    expect(errors["schema.fields.1.type"]?.[0]).toMatch(/^Type must be one of string, integer/);
  });

  it("rejects an invalid field name", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.schema.fields[1]!.name = "1st amount")));
    expect(Object.keys(errors)).toEqual(["schema.fields.1.name"]);
  });

  it("rejects availabilityPercent above 100", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.sla = { availabilityPercent: 101 })));
    expect(errors).toEqual({ "sla.availabilityPercent": ["Must be at most 100"] });
  });

  it("rejects negative retentionDays", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.sla = { retentionDays: -1 })));
    expect(errors).toEqual({ "sla.retentionDays": ["Must be at least 0"] });
  });

  it("rejects a non-integer latency", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.sla = { latencyMsP95: 12.5 })));
    expect(errors).toEqual({ "sla.latencyMsP95": ["Must be a whole number of milliseconds"] });
  });

  it("accepts update frequencies as data contracts write them, stored tidied", () => {
    const parse = (updateFrequency: string) => productInputSchema.parse({ ...validProduct(), sla: { updateFrequency } }).sla.updateFrequency;
    expect(parse("daily")).toBe("daily");
    expect(parse("  Every 15   Minutes ")).toBe("every 15 minutes");
    expect(parse("every 6 hours")).toBe("every 6 hours");
    expect(parse("pt15m")).toBe("PT15M");
  });

  it("rejects a frequency of no accepted form, or shorter than a minute", () => {
    for (const updateFrequency of ["yearly", "every fortnight", "PT", "PT30S", "15 minutes"]) {
      expect(Object.keys(fieldErrorsOf(withChange((p) => (p.sla = { updateFrequency }))))).toEqual(["sla.updateFrequency"]);
    }
  });

  it("rejects an unknown update frequency", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.sla = { updateFrequency: "yearly" as "daily" })));
    expect(Object.keys(errors)).toEqual(["sla.updateFrequency"]);
  });

  it("rejects unknown keys at the top level, in the schema, in fields and in the SLA (.strict())", () => {
    expect(Object.keys(fieldErrorsOf({ ...validProduct(), colour: "blue" }))).toEqual(["(body)"]);
    expect(fieldErrorsOf({ ...validProduct(), colour: "blue" })["(body)"]?.[0]).toMatch(/colour/);
    expect(Object.keys(fieldErrorsOf(withChange((p) => Object.assign(p.schema, { indexes: [] }))))).toEqual(["schema"]);
    expect(
      Object.keys(fieldErrorsOf(withChange((p) => Object.assign(p.schema.fields[0]!, { unique: true })))),
    ).toEqual(["schema.fields.0"]);
    expect(Object.keys(fieldErrorsOf(withChange((p) => (p.sla = { uptime: 1 } as object))))).toEqual(["sla"]);
  });

  it("rejects duplicate tags, also after lower-casing", () => {
    expect(fieldErrorsOf(withChange((p) => (p.tags = ["finance", "finance"])))).toEqual({ tags: ["Tags must be unique"] });
    expect(fieldErrorsOf(withChange((p) => (p.tags = ["finance", "FINANCE"])))).toEqual({ tags: ["Tags must be unique"] });
  });

  it("rejects a malformed tag at its index", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.tags = ["ok", "not ok"])));
    expect(Object.keys(errors)).toEqual(["tags.1"]);
  });

  it.each(["1.0", "v1.0.0", "1.0.0.0", "latest"])("rejects the version %j", (version) => {
    const errors = fieldErrorsOf(withChange((p) => (p.version = version)));
    expect(errors).toEqual({ version: ["Use a semantic version such as 1.0.0"] });
  });

  it.each(["0.0.1", "10.20.30", "1.0.0-beta.1", "1.0.0+build.5"])("accepts the version %j", (version) => {
    expect(productInputSchema.parse(withChange((p) => (p.version = version))).version).toBe(version);
  });

  it("rejects an unknown status", () => {
    const errors = fieldErrorsOf(withChange((p) => (p.status = "retired" as "active")));
    expect(errors).toEqual({ status: ["Status must be draft, active or deprecated"] });
  });

  it("reports every bad field at once", () => {
    const errors = fieldErrorsOf(
      withChange((p) => {
        p.owner = "nobody";
        p.schema.primaryKey = "nope";
        p.title = "";
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(["owner", "schema.primaryKey", "title"]);
  });
});

describe("productUpdateSchema", () => {
  it("accepts a subset of the fields", () => {
    const parsed = productUpdateSchema.parse({ title: "New title", sla: { freshnessHours: 1 } });
    expect(parsed.title).toBe("New title");
    expect(parsed.sla).toEqual({ freshnessHours: 1 });
  });

  it("fills in no defaults for the fields a patch leaves out (they would reset the product)", () => {
    expect(productUpdateSchema.parse({ title: "New title" })).toEqual({ title: "New title" });
    expect(productUpdateSchema.parse({})).toEqual({});
  });

  it("rejects domain and name: the address cannot change", () => {
    expect(Object.keys(fieldErrorsOf({ domain: "other" }, productUpdateSchema))).toEqual(["(body)"]);
    expect(fieldErrorsOf({ name: "other" }, productUpdateSchema)["(body)"]?.[0]).toMatch(/name/);
  });

  it("validates the fields it is given", () => {
    expect(fieldErrorsOf({ owner: "x" }, productUpdateSchema)).toEqual({ owner: ["Owner must be an email address"] });
    expect(Object.keys(fieldErrorsOf({ sla: { availabilityPercent: 101 } }, productUpdateSchema))).toEqual([
      "sla.availabilityPercent",
    ]);
  });
});

describe("productOutputSchema", () => {
  it("requires the stored metadata", () => {
    const product = productInputSchema.parse(validProduct());
    const stored = {
      ...product,
      id: "1b4e28ba-2fa1-4d2e-8c5a-1f2e3d4c5b6a",
      recordCount: 3,
      lastLoadedAt: null,
      capabilities: { semanticSearch: "ready" },
      health: "healthy",
      createdAt: "2026-11-25T10:00:00.000Z",
      updatedAt: "2026-11-25T10:00:00.000Z",
    };
    expect(productOutputSchema.strict().parse(stored)).toEqual(stored);
    expect(productOutputSchema.safeParse({ ...stored, id: "not-a-uuid" }).success).toBe(false);
    expect(productOutputSchema.safeParse({ ...stored, recordCount: undefined }).success).toBe(false);
    expect(productOutputSchema.safeParse({ ...stored, lastLoadedAt: "2026-11-25T11:00:00.000Z" }).success).toBe(true);
    expect(productOutputSchema.safeParse({ ...stored, capabilities: { semanticSearch: null } }).success).toBe(true);
    expect(productOutputSchema.safeParse({ ...stored, capabilities: { semanticSearch: "on" } }).success).toBe(false);
  });
});

describe("productFiltersSchema", () => {
  it("coerces query-string numbers and applies defaults", () => {
    expect(productFiltersSchema.parse({})).toEqual({ limit: 50, offset: 0 });
    expect(productFiltersSchema.parse({ limit: "5", offset: "10", tag: " Finance " })).toEqual({
      limit: 5,
      offset: 10,
      tag: "finance",
    });
  });

  it.each([{ limit: "0" }, { limit: "201" }, { offset: "-1" }, { limit: "abc" }, { status: "retired" }])(
    "rejects %j",
    (query) => {
      expect(productFiltersSchema.safeParse(query).success).toBe(false);
    },
  );
});

describe("reserved field names", () => {
  it.each(["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__"])(
    "refuses %s as a field name, naming the field",
    (name) => {
      const errors = fieldErrorsOf(withChange((p) => p.schema.fields.push({ name, type: "string" })));
      const at = validProduct().schema.fields.length;
      expect(errors[`schema.fields.${at}.name`]).toEqual([`"${name}" is reserved (a property of every JavaScript object); choose another name`]);
    },
  );

  it("allows names that only resemble them", () => {
    for (const name of ["proto", "constructor_id", "tostring", "Constructor"]) {
      expect(productInputSchema.safeParse(withChange((p) => p.schema.fields.push({ name, type: "string" }))).success, name).toBe(true);
    }
  });

  it("refuses them as AI output field names too", () => {
    const result = outputFieldSchema.safeParse({ name: "constructor", type: "string" });
    expect(result.success).toBe(false);
  });
});
