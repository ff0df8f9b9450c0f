import "server-only";
import { createHash } from "node:crypto";
import { createIndexOnce, db, type Db } from "./client";
import type { Prisma } from "./generated/client";

/**
 * The lexical side of retrieval: BM25 tables (postings, vocabulary, lengths;
 * the lexical_retrieval migration) kept in step with the records and the
 * products' metadata in the transactions that write them, and the word
 * embeddings of each vocabulary that the query expansion searches.
 */

type Tx = Prisma.TransactionClient | Db;

const vectorLiteral = (vector: number[]) => `[${vector.join(",")}]`;

/**
 * Re-indexes these records of the product (their current stored data): their
 * postings now, the product's counters when the load flushes
 * (flushLexicalIndex, in the same transaction).
 */
export async function indexRecordsLexically(tx: Tx, productId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.$executeRaw`SELECT lexical_stage(${productId}::uuid, ${keys}::text[])`;
}

/** Takes records that are about to be deleted out of the lexical index (postings, lengths, counters). */
export async function forgetRecordsLexically(tx: Tx, productId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.$executeRaw`SELECT lexical_forget(${productId}::uuid, ${keys}::text[])`;
}

/** Applies the counter changes the load's batches noted (vocabulary, lengths), once per lexeme. */
export async function flushLexicalIndex(tx: Tx, productId: string): Promise<void> {
  await tx.$executeRaw`SELECT lexical_flush(${productId}::uuid)`;
}

/** Re-indexes the product's own metadata (its search text). */
export async function indexMetadataLexically(tx: Tx, productId: string): Promise<void> {
  await tx.$executeRaw`SELECT lexical_index_metadata(${productId}::uuid)`;
}

/** Lexemes worth a word embedding: words of letters, not ids, codes or numbers. */
const WORD = "^[[:alpha:]]{2,}$";

/** The lexemes of a question that the query expansion embeds (in question order). */
export async function questionWords(question: string): Promise<string[]> {
  const rows = await db().$queryRaw<{ lexeme: string }[]>`
    SELECT t.lexeme FROM unnest(lexical_vector(${question})) t
    WHERE t.lexeme ~ ${WORD}
    ORDER BY t.positions[1]`;
  return rows.map((row) => row.lexeme);
}

/** Vocabulary words of the product that have no embedding by `model` yet. */
export async function pendingWords(productId: string, model: string, limit: number): Promise<string[]> {
  const rows = await db().$queryRaw<{ lexeme: string }[]>`
    SELECT v.lexeme FROM lexical_vocabulary v
    WHERE v.product_id = ${productId}::uuid AND v.lexeme ~ ${WORD}
      AND NOT EXISTS (SELECT 1 FROM lexeme_vectors x WHERE x.model = ${model} AND x.lexeme = v.lexeme)
    ORDER BY v.lexeme LIMIT ${limit}`;
  return rows.map((row) => row.lexeme);
}

export async function storeWordVectors(model: string, items: { word: string; embedding: number[] }[]): Promise<void> {
  if (items.length === 0) return;
  await db().$executeRaw`
    INSERT INTO lexeme_vectors (model, lexeme, embedding)
    SELECT ${model}, w, v::vector FROM unnest(${items.map((item) => item.word)}::text[], ${items.map((item) => vectorLiteral(item.embedding))}::text[]) AS t(w, v)
    ON CONFLICT (model, lexeme) DO NOTHING`;
}

/** Name of the HNSW index over one model's word vectors. */
const wordIndexName = (model: string) => `lexeme_vectors_hnsw_${createHash("sha256").update(model).digest("hex").slice(0, 16)}`;

/** Builds the HNSW index (cosine) over the model's word vectors, if missing. */
export async function ensureWordIndex(model: string, dimensions: number): Promise<void> {
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new Error(`Invalid dimensions ${dimensions}`);
  const [row] = await db().$queryRaw<{ exists: boolean }[]>`SELECT to_regclass(${wordIndexName(model)}) IS NOT NULL AS exists`;
  if (row?.exists) return;
  const literal = `'${model.replaceAll("'", "''")}'`;
  await createIndexOnce(
    wordIndexName(model),
    `CREATE INDEX IF NOT EXISTS "${wordIndexName(model)}" ON lexeme_vectors
     USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops) WITH (m = 16, ef_construction = 64)
     WHERE model = ${literal}`,
  );
}

export interface LexicalHealth {
  /** Records indexed lexically. */
  documents: number;
  /** Distinct lexemes in the product's records. */
  vocabulary: number;
  /** Of those, the words that have an embedding by `model` (the query expansion's reach). */
  embeddedWords: number;
  /** Words of the vocabulary worth an embedding (letters only). */
  words: number;
  updatedAt: string | null;
}

export async function lexicalHealth(productId: string, model: string | null): Promise<LexicalHealth> {
  const [row] = await db().$queryRaw<{ documents: number | null; vocabulary: bigint; words: bigint; embedded: bigint; updated_at: Date | null }[]>`
    SELECT s.documents, s.updated_at,
           (SELECT count(*) FROM lexical_vocabulary v WHERE v.product_id = ${productId}::uuid) AS vocabulary,
           (SELECT count(*) FROM lexical_vocabulary v WHERE v.product_id = ${productId}::uuid AND v.lexeme ~ ${WORD}) AS words,
           (SELECT count(*) FROM lexical_vocabulary v JOIN lexeme_vectors x ON x.model = ${model} AND x.lexeme = v.lexeme
             WHERE v.product_id = ${productId}::uuid) AS embedded
    FROM (SELECT 1) one LEFT JOIN lexical_stats s ON s.product_id = ${productId}::uuid`;
  return {
    documents: row?.documents ?? 0,
    vocabulary: Number(row?.vocabulary ?? 0),
    words: Number(row?.words ?? 0),
    embeddedWords: Number(row?.embedded ?? 0),
    updatedAt: row?.updated_at?.toISOString() ?? null,
  };
}

/** Refreshes the planner's statistics of the lexical tables (PGlite runs no autovacuum). */
export async function analyzeLexical(): Promise<void> {
  await db().$executeRawUnsafe("ANALYZE lexical_postings, lexical_heads, lexical_vocabulary, lexical_documents, lexeme_vectors");
}
