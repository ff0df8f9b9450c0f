import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as odcsRoute } from "@/app/api/products/[domain]/[name]/odcs.yaml/route";
import { GET as odpsRoute } from "@/app/api/products/[domain]/[name]/odps.yaml/route";
import { PATCH } from "@/app/api/products/[domain]/[name]/route";
import { GET as versionRoute } from "@/app/api/products/[domain]/[name]/schema-versions/[number]/route";
import { GET as versionsRoute } from "@/app/api/products/[domain]/[name]/schema-versions/route";
import { POST as importRoute } from "@/app/api/products/import/route";
import { db } from "@/lib/db/client";
import { seedDemoData } from "@/lib/services/demo-data";
import { importResultSchema, schemaVersionListSchema, schemaVersionSchema } from "@/lib/validation/contracts";
import { inProcess, uniqueDomain } from "@/tests/helpers/databases";
import { createTestUser, type TestUser } from "@/tests/helpers/users";

/**
 * Contracts as code through the route handlers, on in-process PGlite:
 * every demo product exported as ODPS + ODCS, imported into an empty portal
 * and exported again gives the same YAML; the standard's published examples
 * import or are refused with YAML paths (never a 500), and a refused import
 * stores nothing; schema versions and the breaking-change rule.
 */

const BASE = "http://localhost";
const at = (domain: string, name: string) => ({ params: Promise.resolve({ domain, name }) });
const examples = path.join(process.cwd(), "tests", "contracts", "standard", "examples");

async function exportYaml(user: TestUser, domain: string, name: string) {
  const headers = user.auth;
  const odps = await odpsRoute(new Request(`${BASE}/api/products/${domain}/${name}/odps.yaml`, { headers }), at(domain, name));
  const odcs = await odcsRoute(new Request(`${BASE}/api/products/${domain}/${name}/odcs.yaml`, { headers }), at(domain, name));
  expect(odps.status).toBe(200);
  expect(odcs.headers.get("content-type")).toMatch(/^application\/yaml/);
  return { odps: await odps.text(), odcs: await odcs.text() };
}

async function importYaml(user: TestUser, files: string[], query = "") {
  const form = new FormData();
  files.forEach((text, index) => form.append(`file${index}`, new Blob([text], { type: "application/yaml" }), `document-${index}.yaml`));
  const response = await importRoute(new Request(`${BASE}/api/products/import${query}`, { method: "POST", headers: user.auth, body: form }), undefined);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { fieldErrors?: Record<string, string[]> } };
}

const importOne = async (user: TestUser, text: string, query = "") => {
  const response = await importRoute(new Request(`${BASE}/api/products/import${query}`, { method: "POST", headers: { ...user.auth, "content-type": "application/yaml" }, body: text }), undefined);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { fieldErrors?: Record<string, string[]> } };
};

describe("round trip: export → import into an empty portal → export", () => {
  const exported = new Map<string, { odps: string; odcs: string }>();

  beforeAll(async () => {
    const stop = await inProcess.start();
    try {
      await seedDemoData();
      const admin = await createTestUser({ role: "admin" });
      for (const { domain, name } of await db().product.findMany({ select: { domain: true, name: true } })) {
        exported.set(`${domain}/${name}`, await exportYaml(admin, domain, name));
      }
    } finally {
      await stop();
    }
  });

  it("is identical for every demo product", async () => {
    expect(exported.size).toBe(6);
    const stop = await inProcess.start();
    try {
      const admin = await createTestUser({ role: "admin" });
      for (const domain of new Set([...exported.keys()].map((address) => address.split("/")[0]!))) await db().domain.create({ data: { name: domain } });
      for (const [address, { odps, odcs }] of exported) {
        const [domain, name] = address.split("/") as [string, string];
        const created = await importYaml(admin, [odps, odcs]);
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        expect(importResultSchema.parse(created.body)).toMatchObject({ action: "create", domain, name, notes: [] });
        expect(await exportYaml(admin, domain, name)).toEqual({ odps, odcs });
        expect((await importYaml(admin, [odps, odcs])).body).toMatchObject({ action: "unchanged" });
      }
    } finally {
      await stop();
    }
  });
});

describe("import", () => {
  let stop: () => Promise<void>;
  let owner: TestUser;
  let analyst: TestUser;
  let domain: string;

  beforeAll(async () => {
    stop = await inProcess.start();
    domain = uniqueDomain("contracts");
    owner = await createTestUser({ owns: [domain, "seller"] });
    analyst = await createTestUser();
  });
  afterAll(() => stop());

  const contract = (version: string, properties: string, name = "invoices") => `apiVersion: v3.1.0
kind: DataContract
id: urn:mesh:${domain}:${name}:contract
name: Invoices
version: ${version}
status: active
domain: ${domain}
dataProduct: ${name}
team:
  members:
    - username: finance@example.com
      role: owner
schema:
  - name: ${name}
    properties:
${properties}
slaProperties:
  - property: latency
    value: 1
    unit: d
`;
  const v1 = `      - { name: invoice_id, logicalType: string, required: true, primaryKey: true }
      - { name: amount, logicalType: number, required: true }
      - { name: memo, logicalType: string, classification: pii }`;

  it("a dry run reports the product it would create and stores nothing", async () => {
    const { status, body } = await importOne(owner, contract("1.0.0", v1), "?dryRun=true");
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: true, action: "create", domain, name: "invoices" });
    expect((body.changes as { field: string }[]).map((change) => change.field)).toEqual(["title", "description", "owner", "tags", "status", "version", "schema", "sla", "quality"]);
    expect(await db().product.count({ where: { domain } })).toBe(0);
  });

  it("creates the product, with schema version 1", async () => {
    const { status, body } = await importOne(owner, contract("1.0.0", v1));
    expect(status).toBe(201);
    expect(body.product).toMatchObject({ owner: "finance@example.com", sla: { freshnessHours: 24 }, schema: { primaryKey: "invoice_id" } });
    const versions = schemaVersionListSchema.parse(await (await versionsRoute(new Request(`${BASE}/api/products/${domain}/invoices/schema-versions`, { headers: analyst.auth }), at(domain, "invoices"))).json());
    expect(versions.versions.map((version) => version.number)).toEqual([1]);
  });

  it("refuses a breaking change without a new major version (409 with the list), and stores nothing", async () => {
    const breaking = `      - { name: invoice_id, logicalType: string, required: true, primaryKey: true }
      - { name: amount, logicalType: integer, required: true }`;
    const dry = await importOne(owner, contract("1.1.0", breaking), "?dryRun=true");
    expect(dry.body.schemaChanges).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: "field_removed", field: "memo", breaking: true }), expect.objectContaining({ kind: "type_changed", field: "amount", breaking: true })]),
    );
    expect(dry.body.conflicts).toEqual([expect.stringContaining("set version to 2.0.0")]);
    const refused = await importOne(owner, contract("1.1.0", breaking));
    expect(refused.status).toBe(409);
    expect(refused.body.fieldErrors?.["schema[0].properties"]).toEqual(["field memo was removed", "field amount changed type from number to integer"]);
    expect((await db().product.findFirstOrThrow({ where: { domain, name: "invoices" } })).version).toBe("1.0.0");

    const accepted = await importOne(owner, contract("2.0.0", breaking));
    expect(accepted.status).toBe(200);
    const version = schemaVersionSchema.parse(await (await versionRoute(new Request(`${BASE}/api/products/${domain}/invoices/schema-versions/2`, { headers: analyst.auth }), { params: Promise.resolve({ domain, name: "invoices", number: "2" }) })).json());
    expect(version).toMatchObject({ number: 2, productVersion: "2.0.0", breaking: true });
    expect(version.schema.fields.map((field) => field.name)).toEqual(["invoice_id", "amount"]);
  });

  it("a compatible change needs no new major version and is kept as a new schema version", async () => {
    const response = await PATCH(
      new Request(`${BASE}/api/products/${domain}/invoices`, {
        method: "PATCH",
        headers: { ...owner.auth, "content-type": "application/json" },
        body: JSON.stringify({ schema: { primaryKey: "invoice_id", fields: [{ name: "invoice_id", type: "string", required: true }, { name: "amount", type: "number", required: true }, { name: "note", type: "string" }] } }),
      }),
      at(domain, "invoices"),
    );
    expect(response.status).toBe(200);
    const { versions } = schemaVersionListSchema.parse(await (await versionsRoute(new Request(`${BASE}/api/products/${domain}/invoices/schema-versions`, { headers: analyst.auth }), at(domain, "invoices"))).json());
    expect(versions[0]).toMatchObject({ number: 3, breaking: false });
    expect(versions[0]!.changes.map((change) => change.kind).sort()).toEqual(["field_added", "type_widened"]);
  });

  it("an unknown type is refused with its YAML path, and nothing of the document is stored", async () => {
    const { status, body } = await importOne(owner, contract("3.0.0", `      - { name: invoice_id, logicalType: string, required: true, primaryKey: true }
      - { name: a, logicalType: string }
      - { name: b, logicalType: string }
      - { name: c, logicalType: bigint }`));
    expect(status).toBe(422);
    expect(body.fieldErrors).toEqual({ "schema[0].properties[3].logicalType": ['unknown type "bigint"'] });
    expect((await db().product.findFirstOrThrow({ where: { domain, name: "invoices" } })).version).toBe("2.0.0");
  });

  it("only the domain's owners may import into it", async () => {
    const { status } = await importOne(analyst, contract("1.0.0", v1, "other"));
    expect(status).toBe(403);
    expect(await db().product.count({ where: { domain, name: "other" } })).toBe(0);
  });

  it("the standard's examples import, or are refused with YAML paths (never a 500)", async () => {
    const read = (kind: string, file: string) => readFile(path.join(examples, kind, file), "utf8");
    const outcomes: Record<string, number> = {};
    for (const file of ["full-example", "all-data-types", "database-table-sla", "column-completeness", "column-accuracy", "column-custom", "column-validity"]) {
      const { status, body } = await importOne(owner, await read("odcs", `${file}.odcs.yaml`), `?dryRun=true&domain=${domain}`);
      outcomes[file] = status;
      if (status === 422) expect(Object.keys(body.fieldErrors ?? {}).length).toBeGreaterThan(0);
    }
    expect(outcomes).toEqual({
      "full-example": 422, // two schema objects
      "all-data-types": 422, // array and object properties, no primary key
      "database-table-sla": 422, // no schema for a new product
      "column-completeness": 200,
      "column-accuracy": 422, // no primary key
      "column-custom": 200,
      "column-validity": 200,
    });
    const created = await importOne(owner, await read("odcs", "column-completeness.odcs.yaml"), `?domain=${domain}`);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "my-table", product: { owner: owner.actor.email, schema: { fields: [{ name: "UniqueID", type: "integer" }] } } });
    // The SLA example (dataProduct my_quantum, no schema) updates the product the custom-quality example created.
    expect((await importOne(owner, await read("odcs", "column-custom.odcs.yaml"), `?domain=${domain}`)).status).toBe(201);
    const sla = await importOne(owner, await read("odcs", "database-table-sla.odcs.yaml"), `?domain=${domain}`);
    expect(sla.body).toMatchObject({ action: "update", name: "my-quantum", product: { sla: { freshnessHours: 96, retentionDays: 1095, updateFrequency: "daily" } } });
    // Its latency is measured on tab1.txn_ref_dt, which the product does not have: reported, not its event time.
    expect((sla.body.product as { sla: object }).sla).not.toHaveProperty("eventTimeField");
    expect(sla.body.notes).toContainEqual({ path: "slaProperties[0].element", message: "The event-time field txn_ref_dt is not a field of the schema: the event-time field is left out" });
  });

  it("ODPS and ODCS documents of the standard import together", async () => {
    const odps = await readFile(path.join(examples, "odps", "customer-data-product.odps.yaml"), "utf8");
    const alone = await importOne(owner, odps);
    expect(alone.status).toBe(422);
    expect(alone.body.fieldErrors).toHaveProperty("schema");
    const odcs = (await readFile(path.join(examples, "odcs", "column-custom.odcs.yaml"), "utf8")).replace("dataProduct: my_quantum", "dataProduct: customer-data-product");
    const both = await importYaml(owner, [odps, odcs]);
    expect(both.status, JSON.stringify(both.body)).toBe(201);
    expect(both.body).toMatchObject({ domain: "seller", name: "customer-data-product", product: { title: "Customer Data Product", owner: "john.doe@retailcorp.com", status: "draft" } });
  });

  it("refuses other media types and malformed YAML", async () => {
    const json = await importRoute(new Request(`${BASE}/api/products/import`, { method: "POST", headers: { ...owner.auth, "content-type": "application/json" }, body: "{}" }), undefined);
    expect(json.status).toBe(415);
    const broken = await importOne(owner, "kind: DataContract\nschema: [\n");
    expect(broken.status).toBe(422);
    expect(Object.values(broken.body.fieldErrors ?? {})[0]?.[0]).toMatch(/line 3, column 1/);
  });
});

describe("OpenAPI", () => {
  it("documents the contract, schema-version and MCP paths with schemas that exist", async () => {
    const { openApiDocument } = await import("@/lib/openapi");
    const document = openApiDocument();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/products/{domain}/{name}/odps.yaml",
        "/api/products/{domain}/{name}/odcs.yaml",
        "/api/products/import",
        "/api/products/{domain}/{name}/schema-versions",
        "/api/products/{domain}/{name}/schema-versions/{number}",
        "/api/mcp",
      ]),
    );
    expect(document.components.schemas.ImportResult).toMatchObject({ type: "object" });
  });
});
