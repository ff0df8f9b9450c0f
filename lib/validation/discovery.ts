import { z } from "zod";
import { questionSchema } from "./semantic-search";

/** Inputs and outputs of discovery and the federated query. */

export const discoveryQuerySchema = z.object({
  q: z.string({ error: "q is required" }).trim().min(1, "q must not be empty").max(1000, "q is at most 1000 characters"),
  k: z.coerce.number().int().min(1, "k must be at least 1").max(50, "k must be at most 50").default(10),
});

export const discoveredProductSchema = z.object({
  domain: z.string(),
  name: z.string(),
  title: z.string(),
  status: z.string(),
  score: z.number().describe("Reciprocal-rank-fusion score of the record, description and BM25 ranks"),
  similarity: z.number().nullable().describe("Best cosine similarity of the question to the product's closest record or its description"),
  reasons: z.array(z.string()).describe("Why the product matched"),
});

export const discoveryResultSchema = z.object({ products: z.array(discoveredProductSchema) });

export type DiscoveredProduct = z.infer<typeof discoveredProductSchema>;

export const MAX_PRODUCTS_PER_QUERY = 5;

export const federatedQueryInputSchema = z
  .object({
    question: questionSchema,
    k: z.number().int().min(1, "k must be at least 1").max(50, "k must be at most 50").default(5).describe("Records per product"),
    products: z
      .array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'Name products as "domain/name"'))
      .min(1, "Name at least one product, or leave products out to let discovery choose")
      .max(MAX_PRODUCTS_PER_QUERY, `At most ${MAX_PRODUCTS_PER_QUERY} products per question`)
      .optional()
      .describe("Products to query; when left out, discovery picks the most relevant"),
  })
  .strict();

export const federatedProductSchema = z.object({
  domain: z.string(),
  name: z.string(),
  title: z.string(),
  score: z.number().nullable().describe("Discovery score; null when the caller named the product"),
  status: z.enum(["ok", "skipped", "error", "restricted"]).describe("restricted: the caller may not read the product's records (nothing of them is returned)"),
  reason: z.string().optional().describe("Why the product was skipped, failed or is restricted"),
  requestAccess: z.string().optional().describe("For a restricted product: the page where the caller asks for access"),
  fields: z.array(z.string()).describe("Fields whose text was searched (empty unless ok)"),
  durationMs: z.number(),
  results: z.array(
    z.object({
      key: z.string(),
      score: z.number(),
      similarity: z.number().nullable(),
      lexical: z.number().nullable().optional(),
      record: z.record(z.string(), z.unknown()),
      highlights: z.string().optional(),
    }),
  ),
});

export const federatedQueryResultSchema = z.object({
  products: z.array(federatedProductSchema),
  timings: z.object({ discoveryMs: z.number(), retrievalMs: z.number(), totalMs: z.number() }),
});

export type FederatedQueryInput = z.infer<typeof federatedQueryInputSchema>;
export type FederatedProduct = z.infer<typeof federatedProductSchema>;
export type FederatedQueryResult = z.infer<typeof federatedQueryResultSchema>;
export type DiscoveryQuery = z.infer<typeof discoveryQuerySchema>;
