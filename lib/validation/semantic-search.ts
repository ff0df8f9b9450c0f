import { z } from "zod";
import { CAPABILITY_STATES } from "./product";

/** Inputs of the semantic search capability and the semantic query. */

export const semanticSearchInputSchema = z
  .object({
    model: z.string().trim().min(1).optional().describe('Embedding model id, e.g. "local/use-lite" (the default)'),
    fields: z
      .array(z.string().trim().min(1), { error: "Choose the fields to embed" })
      .min(1, "Choose at least one field to embed")
      .max(20, "At most 20 fields")
      .refine((fields) => new Set(fields).size === fields.length, "Fields must be unique")
      .describe("String fields whose values are embedded"),
    hostedPii: z
      .boolean()
      .optional()
      .describe("Let the fields marked PII reach hosted models: the hosted chat model, a hosted embedding model (off: they are withheld)"),
  })
  .strict()
  .describe("Enables (or reconfigures) semantic search of a product");


export const semanticSearchStatusSchema = z
  .object({
    enabled: z.boolean(),
    model: z.string().nullable(),
    fields: z.array(z.string()),
    hostedPii: z.boolean().describe("Whether fields marked PII may reach hosted models"),
    status: z.enum(CAPABILITY_STATES).nullable().describe("null when disabled"),
    indexed: z.number().int().describe("Records embedded so far"),
    total: z.number().int().describe("Records the product holds"),
    error: z.string().optional().describe("Why indexing failed"),
    health: z
      .object({
        records: z.number().int().describe("Records the product holds"),
        embedded: z.number().int().describe("Records with an embedding"),
        coverage: z.number().describe("Share of the records with an embedding (0–1)"),
        lexical: z.number().int().describe("Records in the BM25 index (every string field and the key)"),
        vocabulary: z.number().int().describe("Distinct lexemes of the records"),
        words: z.number().int().describe("Lexemes made of letters: those the query expansion can reach"),
        embeddedWords: z.number().int().describe("Of those, the words embedded with the product's model"),
        signals: z
          .array(z.enum(["vector", "bm25", "expanded-bm25"]))
          .describe("Signals that rank this product's records now (vector and expanded-bm25 need semantic search ready)"),
        lastIndexedAt: z.string().nullable().describe("When semantic search indexing last finished"),
        lexicalUpdatedAt: z.string().nullable().describe("When the BM25 index last changed"),
      })
      .optional()
      .describe("AI health: what the product's retrieval runs on"),
  })
  .describe("State of a product's semantic search");

export const MAX_QUESTION_LENGTH = 1000;

/** A question in plain language: the semantic query, the federated query and the chat. */
export const questionSchema = z
  .string({ error: "question is required" })
  .trim()
  .min(1, "Ask a question")
  .max(MAX_QUESTION_LENGTH, `Questions are at most ${MAX_QUESTION_LENGTH} characters`);

export const semanticQueryInputSchema = z
  .object({
    question: questionSchema,
    k: z.number().int("k must be a whole number").min(1, "k must be at least 1").max(100, "k must be at most 100").default(10),
  })
  .strict();

export const semanticQueryResultSchema = z.object({
  model: z.string().describe("Embedding model that answered"),
  fields: z.array(z.string()).describe("Fields whose text was searched"),
  results: z.array(
    z.object({
      key: z.string(),
      score: z.number().describe("Reciprocal-rank-fusion score of the vector, BM25 and expanded-BM25 ranks (best view of the question)"),
      similarity: z.number().nullable().describe("Cosine similarity of the record to the question, when among the nearest"),
      lexical: z.number().nullable().optional().describe("Share of the question's BM25 weight the record matches, when it matches a word"),
      record: z.record(z.string(), z.unknown()),
      highlights: z.string().optional().describe("Passages matching the question's terms, marked with ** **"),
    }),
  ),
});

export type SemanticSearchInput = z.infer<typeof semanticSearchInputSchema>;
export type SemanticSearchStatus = z.infer<typeof semanticSearchStatusSchema>;
export type SemanticQueryResult = z.infer<typeof semanticQueryResultSchema>;
export type SemanticQueryInput = z.infer<typeof semanticQueryInputSchema>;
