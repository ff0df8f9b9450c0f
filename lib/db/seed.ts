import { readFile } from "node:fs/promises";
import path from "node:path";
import { registerProduct } from "../products";
import type { ProductInput } from "../validation/product";
import { db } from "./client";
import { markLoaded } from "./records";

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
    await db().record.createMany({
      data: records.map((data) => ({
        productId: product.id,
        key: String(data[product.schema.primaryKey]),
        data: data as object,
      })),
    });
    await markLoaded(db(), product.id);
  }
  return products.length;
}
