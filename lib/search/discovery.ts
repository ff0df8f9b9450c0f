import { embedMany } from "ai";
import { DEFAULT_EMBEDDING_MODEL, embeddingModel } from "../ai/models";
import { embedQuery } from "../ai/query-embedding";
import { productsByIds, productsMissingDiscovery } from "../db/products";
import { deleteProductVector, matchProductMetadata, matchProducts, storeProductVectors, storeRecordsCentroid } from "../db/retrieval";
import type { RecordAccess } from "../mesh/access";
import { descriptionText, matchReasons, schemaText } from "../mesh/discovery";
import type { DiscoveredProduct, DiscoveryQuery } from "../validation/discovery";
import type { Product } from "../validation/product";

/**
 * The discovery engine: every product is embedded with the platform's
 * default embedding model when it is registered or edited (its description
 * and its schema), plus the centroid of its records once they are embedded
 * with that model; questions are ranked against them and against the
 * products' metadata in full text.
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

/** Keeps the 'records' vector in step with the product's record embeddings. */
export async function refreshRecordsProfile(productId: string, model: string | null, dimensions: number): Promise<void> {
  if (model === DEFAULT_EMBEDDING_MODEL) await storeRecordsCentroid(productId, model, dimensions);
  else await deleteProductVector(productId, "records");
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
 * by their metadata alone, so that nothing of their records shapes their place
 * or the reasons shown.
 */
export async function rankProducts(question: string, k: number, access: RecordAccess): Promise<RankedProduct[]> {
  const embedding = await embedQuery(DEFAULT_EMBEDDING_MODEL, question);
  const hidden = access.hidden;
  const [matches, metadata] = await Promise.all([
    matchProducts(embedding, DEFAULT_EMBEDDING_MODEL, question, k + hidden.size),
    matchProductMetadata(embedding, DEFAULT_EMBEDDING_MODEL, question, [...hidden]),
  ]);
  const merged = [...matches.filter((match) => !hidden.has(match.productId)), ...metadata];
  const products = new Map((await productsByIds(merged.map((match) => match.productId))).map((product) => [product.id, product]));
  return merged
    .flatMap((match) => {
      const product = products.get(match.productId);
      if (!product) return [];
      return [{ product, score: match.score, similarity: match.similarity, reasons: matchReasons({ ...match, status: product.status }) }];
    })
    .sort((a, b) => Number(a.product.status === "deprecated") - Number(b.product.status === "deprecated") || b.score - a.score)
    .slice(0, k);
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

/** Products registered before discovery existed, or whose indexing failed. */
export async function indexMissingProducts(): Promise<void> {
  for (const product of await productsMissingDiscovery()) await tryIndexForDiscovery(product);
}
