import { embedMany } from "ai";
import { DEFAULT_EMBEDDING_MODEL, embeddingModel } from "../ai/models";
import { embedQuery } from "../ai/query-embedding";
import { embedQuestionWords } from "./query-words";
import { productsByIds, productsMissingDiscovery } from "../db/products";
import { matchProducts, storeProductVectors } from "../db/retrieval";
import type { RecordAccess } from "../mesh/access";
import { descriptionText, matchReasons, schemaText } from "../mesh/discovery";
import type { DiscoveredProduct, DiscoveryQuery } from "../validation/discovery";
import type { Product } from "../validation/product";

/**
 * The discovery engine: a question is ranked against every product by three
 * kinds of evidence (see `match_products`): the product's record closest in
 * meaning (records embedded with the platform's default model), its
 * description's similarity (embedded when the product is registered or
 * edited) and BM25 over its metadata and records.
 */

export async function indexForDiscovery(product: Product): Promise<void> {
  const { embeddings } = await embedMany({
    model: embeddingModel(DEFAULT_EMBEDDING_MODEL),
    values: [descriptionText(product), schemaText(product)],
  });
  await storeProductVectors(product.id, DEFAULT_EMBEDDING_MODEL, [
    { kind: "description", embedding: embeddings[0]! },
    { kind: "schema", embedding: embeddings[1]! },
  ]);
}

/** Indexing a product must not fail its registration: discovery then falls back to keywords. */
export async function tryIndexForDiscovery(product: Product): Promise<void> {
  await indexForDiscovery(product).catch((error: unknown) =>
    console.error(`Discovery indexing of ${product.domain}/${product.name} failed:`, error),
  );
}

export interface RankedProduct {
  product: Product;
  score: number;
  similarity: number | null;
  reasons: string[];
}

/**
 * Products ranked for a question, best first, deprecated ones last. The
 * products whose records the reader may not read (`access.hidden`) are ranked
 * by their metadata alone, so that nothing of their records shapes their place,
 * anyone else's, or the reasons shown.
 */
export async function rankProducts(question: string, k: number, access: RecordAccess): Promise<RankedProduct[]> {
  const [embedding, words] = await Promise.all([embedQuery(DEFAULT_EMBEDDING_MODEL, question), embedQuestionWords(DEFAULT_EMBEDDING_MODEL, question)]);
  const hidden = [...access.hidden];
  const matches = await matchProducts(embedding, DEFAULT_EMBEDDING_MODEL, question, k, { words, hidden });
  const products = new Map((await productsByIds(matches.map((match) => match.productId))).map((product) => [product.id, product]));
  return matches.flatMap((match) => {
    const product = products.get(match.productId);
    if (!product) return [];
    const reasons = matchReasons(match, product.status, access.hidden.has(product.id));
    return [{ product, score: match.score, similarity: match.similarity, reasons }];
  });
}

/** Products ranked for a question, as the discovery API and the federated query show them. */
export async function discoverProducts({ q, k }: DiscoveryQuery, access: RecordAccess): Promise<{ products: DiscoveredProduct[] }> {
  return {
    products: (await rankProducts(q, k, access)).map(({ product, score, similarity, reasons }) => ({
      domain: product.domain,
      name: product.name,
      title: product.title,
      status: product.status,
      score,
      similarity,
      reasons,
    })),
  };
}

/** Indexes the products registered before discovery existed, or whose indexing failed; returns how many it tried. */
export async function indexMissingProducts(): Promise<number> {
  const missing = await productsMissingDiscovery();
  for (const product of missing) await tryIndexForDiscovery(product);
  return missing.length;
}
