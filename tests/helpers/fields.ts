import type { ProductField } from "@/lib/validation/product";

/** A schema field for unit tests of the planner: required unless said otherwise, never PII. */
export const schemaField = (name: string, type: ProductField["type"], description = "", required = true): ProductField => ({ name, type, required, description, pii: false });
