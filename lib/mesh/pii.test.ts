import { describe, expect, it } from "vitest";
import type { ProductSchema } from "../validation/product";
import { withheldFields, withoutFields } from "./pii";

const schema: ProductSchema = {
  primaryKey: "id",
  fields: [
    { name: "id", type: "string", required: true, description: "", pii: false },
    { name: "email", type: "string", required: false, description: "", pii: true },
    { name: "phone", type: "string", required: false, description: "", pii: true },
    { name: "subject", type: "string", required: false, description: "", pii: false },
  ],
};
const record = { id: "T-1", email: "ada@example.com", phone: "+41 44 000 00 00", subject: "Charged twice" };

describe("PII for hosted models", () => {
  it("withholds the fields marked pii unless the capability allows them", () => {
    expect([...withheldFields(schema, false)]).toEqual(["email", "phone"]);
    expect(withoutFields(record, withheldFields(schema, false))).toEqual({ id: "T-1", subject: "Charged twice" });
    expect(withoutFields(record, withheldFields(schema, true))).toEqual(record);
  });
});
