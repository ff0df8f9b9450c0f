import { z } from "zod";

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
  score: z.number().describe("Reciprocal-rank-fusion score of meaning and keyword ranks"),
  similarity: z.number().nullable().describe("Best cosine similarity of the question to the product's vectors"),
  reasons: z.array(z.string()).describe("Why the product matched"),
});

export const discoveryResultSchema = z.object({ products: z.array(discoveredProductSchema) });

export type DiscoveredProduct = z.infer<typeof discoveredProductSchema>;
