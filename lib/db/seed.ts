import { readFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_EMBEDDING_MODEL } from "../ai/models";
import { USE_LITE_DIMENSIONS } from "../ai/local/use-lite";
import { registerProduct } from "../products";
import { loadRecords } from "../records";
import type { ProductInput } from "../validation/product";
import { configureSemanticSearch } from "./semantic-search";

/**
 * Demo data for a new embedded database: six products from different domains
 * with their records, loaded and validated like any upload, and semantic
 * search switched on. The Next.js server embeds their records when it starts
 * (instrumentation.ts resumes pending indexing), so this needs no model.
 */

type DemoProduct = ProductInput & { records: Record<string, unknown>[]; semanticSearchFields: string[] };

export const DEMO_FILE = path.join(process.cwd(), "prisma", "seed", "demo-products.json");

export async function seedDemoData(file = DEMO_FILE): Promise<number> {
  const { products } = JSON.parse(await readFile(file, "utf8")) as { products: DemoProduct[] };
  for (const { records, semanticSearchFields, ...definition } of products) {
    const product = await registerProduct(definition);
    const report = await loadRecords(product.domain, product.name, [Buffer.from(JSON.stringify(records))], "application/json");
    if (report.rejectedTotal > 0) {
      throw new Error(`Demo records of ${product.domain}/${product.name} were rejected: ${JSON.stringify(report.rejected[0])}`);
    }
    await configureSemanticSearch(product.id, {
      model: DEFAULT_EMBEDDING_MODEL,
      dimensions: USE_LITE_DIMENSIONS,
      fields: semanticSearchFields,
      total: report.accepted,
    });
  }
  return products.length;
}
