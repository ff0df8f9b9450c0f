import { readFile } from "node:fs/promises";
import path from "node:path";
import { USE_LITE_DIMENSIONS } from "../ai/local/use-lite";
import { DEFAULT_EMBEDDING_MODEL } from "../ai/models";
import { DEMO_ACCOUNTS } from "../auth/demo";
import type { Actor } from "../auth/guard";
import { createPasswordUser } from "../auth/users";
import { addDomainOwner, findActor, insertDomain } from "../db/accounts";
import { configureSemanticSearch } from "../db/semantic-search";
import { parseOrThrow } from "../errors";
import { productInputSchema, type ProductFormValues } from "../validation/product";
import { registerProduct } from "./products";
import { loadRecords } from "./records";

/**
 * Demo data for a new embedded database: the domains of six products from
 * different teams, the demo accounts (lib/auth/demo.ts), and the products with
 * their records, loaded and validated like any upload, with semantic search
 * switched on. The Next.js server embeds their records and indexes them for
 * discovery when it starts (instrumentation.ts), so seeding needs no model.
 */

type DemoProduct = ProductFormValues & { records: Record<string, unknown>[]; semanticSearchFields: string[] };

export const DEMO_FILE = path.join(process.cwd(), "prisma", "seed", "demo-products.json");

const DOMAIN_DESCRIPTIONS: Record<string, string> = {
  "customer-support": "Support tickets, contacts and satisfaction across every support channel.",
  payments: "Card payments, refunds and disputes.",
  hr: "People data: headcount, roles and organisation.",
  manufacturing: "Production lines, batches and quality checks.",
  marketing: "Campaigns, audiences and their results.",
  "product-analytics": "How customers use the products and apps.",
};

/** Seeds the demo data; returns how many products and records it loaded. */
export async function seedDemoData(file = DEMO_FILE): Promise<{ products: number; records: number }> {
  const { products } = JSON.parse(await readFile(file, "utf8")) as { products: DemoProduct[] };
  for (const domain of [...new Set(products.map((product) => product.domain))].sort()) {
    await insertDomain({ name: domain, description: DOMAIN_DESCRIPTIONS[domain] ?? "" });
  }
  const accounts = new Map<string, Actor>();
  for (const { owns, label: _label, ...account } of DEMO_ACCOUNTS) {
    const user = await createPasswordUser(account);
    for (const domain of owns) await addDomainOwner(domain, user.email);
    accounts.set(user.email, (await findActor(user.id))!);
  }
  const admin = [...accounts.values()].find((actor) => actor.role === "admin")!;
  let loaded = 0;
  for (const { records, semanticSearchFields, ...definition } of products) {
    // Each product is registered by an owner of its domain where there is one.
    const actor = [...accounts.values()].find((candidate) => candidate.domains.includes(definition.domain)) ?? admin;
    const product = await registerProduct(actor, parseOrThrow(productInputSchema, definition), { indexForDiscovery: false });
    const report = await loadRecords(actor, product, [Buffer.from(JSON.stringify(records))], "application/json");
    if (report.rejectedTotal > 0) {
      throw new Error(`Demo records of ${product.domain}/${product.name} were rejected: ${JSON.stringify(report.rejected[0])}`);
    }
    await configureSemanticSearch(product.id, {
      model: DEFAULT_EMBEDDING_MODEL,
      dimensions: USE_LITE_DIMENSIONS,
      fields: semanticSearchFields,
      total: report.accepted,
    });
    loaded += report.accepted;
  }
  return { products: products.length, records: loaded };
}
