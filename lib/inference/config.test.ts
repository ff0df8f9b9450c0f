import { describe, expect, it } from "vitest";
import type { InferenceConfig } from "../mesh/inference";
import type { ProductSchema } from "../validation/product";
import { modelInput } from "./config";

const schema: ProductSchema = {
  primaryKey: "id",
  fields: [
    { name: "id", type: "string", required: true, description: "", pii: false },
    { name: "email", type: "string", required: false, description: "", pii: true },
    { name: "body", type: "string", required: false, description: "", pii: false },
  ],
};
const record = { id: "T-1", email: "ada@example.com", body: "My card was charged twice" };
const config = (endpoint: string, hostedPii?: boolean): InferenceConfig => ({ endpoint, instructions: "Route it", outputFields: [{ name: "queue", type: "string" }], hostedPii });

describe("modelInput", () => {
  it("withholds fields marked PII from a hosted endpoint unless the owner allows them", () => {
    expect(modelInput(record, schema, config("https://llm.example/v1"))).toEqual({ body: "My card was charged twice" });
    expect(modelInput(record, schema, config("https://llm.example/v1", true))).toEqual({ email: "ada@example.com", body: "My card was charged twice" });
  });

  it("gives offline models on this server every field but the primary key", () => {
    expect(modelInput(record, schema, config("local:classify"))).toEqual({ email: "ada@example.com", body: "My card was charged twice" });
  });
});
