import { readFile } from "node:fs/promises";
import path from "node:path";
import { checkRecord } from "../mesh/records";
import { registerProduct } from "../products";
import type { ProductInput } from "../validation/product";
import { db } from "./client";
import { markLoaded, upsertRecords } from "./records";

/**
 * Demo data for a new embedded database: six products from different domains
 * with their records, so a new user sees a living catalog.
 */

type DemoProduct = ProductInput & { records: Record<string, unknown>[] };

export const DEMO_FILE = path.join(process.cwd(), "prisma", "seed", "demo-products.json");

export async function seedDemoData(file = DEMO_FILE): Promise<number> {
  const { products } = JSON.parse(await readFile(file, "utf8")) as { products: DemoProduct[] };
  for (const { records, ...definition } of products) {
    const product = await registerProduct(definition);
    const checked = records.map((data, index) => {
      const result = checkRecord(product.schema, data, "json");
      if (!result.ok) throw new Error(`Demo record ${index} of ${product.domain}/${product.name} is invalid: ${JSON.stringify(result.errors)}`);
      return result;
    });
    await upsertRecords(db(), product.id, checked);
    await markLoaded(db(), product.id);
  }
  return products.length;
}
