import { describe, expect, it } from "vitest";
import { formatFailure, formatImport, parseImportArgs } from "./import-contracts";
import { UsageError } from "./run";

describe("npm run import: arguments and output", () => {
  it("parses files and options", () => {
    expect(parseImportArgs(["a.odps.yaml", "a.odcs.yaml", "--dry-run", "--domain", "payments", "--url", "http://portal:3000/"])).toEqual({
      files: ["a.odps.yaml", "a.odcs.yaml"],
      dryRun: true,
      domain: "payments",
      url: "http://portal:3000",
    });
  });

  it("refuses no file, three files, unknown options and a bad URL", () => {
    expect(() => parseImportArgs([])).toThrow(UsageError);
    expect(() => parseImportArgs(["a", "b", "c"])).toThrow(UsageError);
    expect(() => parseImportArgs(["a", "--force"])).toThrow("Unknown option --force");
    expect(() => parseImportArgs(["a", "--url", "portal"])).toThrow("--url must be an http(s) URL");
  });

  it("prints the changes, and a refusal by YAML path", () => {
    const text = formatImport({
      dryRun: true,
      action: "update",
      domain: "payments",
      name: "invoices",
      changes: [{ field: "version", from: "1.0.0", to: "2.0.0" }],
      schemaChanges: [{ kind: "field_removed", field: "memo", breaking: true, message: "field memo was removed" }],
      conflicts: [],
      notes: [{ path: "schema[0].properties[1]", message: "not represented in the portal, left out: tags" }],
    });
    expect(text).toBe(
      'payments/invoices: would update\n  version: "1.0.0" → "2.0.0"\n  BREAKING field memo was removed\nNotes:\n  schema[0].properties[1]: not represented in the portal, left out: tags',
    );
    expect(formatFailure({ ok: false, status: 422, message: "x", fieldErrors: { "schema[0].properties[3].logicalType": ['unknown type "bigint"'] } })).toBe(
      'Import refused (HTTP 422); nothing was stored:\n  schema[0].properties[3].logicalType: unknown type "bigint"',
    );
  });
});
