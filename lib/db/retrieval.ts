import "server-only";
import { createIndexOnce, db } from "./client";
import { Prisma } from "./generated/client";
import { supabase } from "./supabase";

/**
 * The vector SQL of records and products: record embeddings, per-product HNSW
 * indexes, hybrid search (the `match_records` SQL function) and discovery
 * (`match_products`), both defined in the lexical_retrieval migration; word
 * vectors of the lexical index are in ./lexical.ts. Vectors travel as
 * pgvector text literals.
 */

const vectorLiteral = (vector: number[]) => `[${vector.join(",")}]`;

/** Name of a product's partial HNSW index (product ids are UUIDs: safe in an identifier). */
const indexName = (productId: string) => `record_embeddings_hnsw_${productId.replaceAll("-", "")}`;

export interface PendingRecord {
  key: string;
  content: string;
}

/**
 * The text embedded for record `r`: the chosen fields' values, one per line
 * (strings as they are, other values as JSON text, missing ones left out).
 */
const embeddedText = (fields: string[]) =>
  Prisma.sql`coalesce(array_to_string(ARRAY(SELECT r.data ->> f FROM unnest(${fields}::text[]) AS f), E'\n'), '')`;

/**
 * Records of the product whose embedding is missing or was computed from other text. A record with
 * none of the fields (or only blanks and line breaks) has no text to embed — models refuse empty input — and is
 * never pending: search finds it by its other fields or not at all.
 */
const stale = (productId: string, fields: string[]) => Prisma.sql`
  FROM records r
  LEFT JOIN record_embeddings e ON e.product_id = r.product_id AND e.key = r.key
  WHERE r.product_id = ${productId}::uuid AND ${embeddedText(fields)} ~ '\\S'
    AND (e.key IS NULL OR e.content IS DISTINCT FROM ${embeddedText(fields)})`;

/** Drops the embeddings of records whose text became blank (their fields were emptied since). */
export async function dropBlankEmbeddings(productId: string, fields: string[]): Promise<void> {
  await db().$executeRaw`
    DELETE FROM record_embeddings e USING records r
    WHERE e.product_id = ${productId}::uuid AND r.product_id = e.product_id AND r.key = e.key AND ${embeddedText(fields)} !~ '\\S'`;
}

export async function pendingEmbeddings(productId: string, fields: string[], limit: number): Promise<PendingRecord[]> {
  return db().$queryRaw<PendingRecord[]>`SELECT r.key, ${embeddedText(fields)} AS content ${stale(productId, fields)} ORDER BY r.key LIMIT ${limit}`;
}

export async function countPendingEmbeddings(productId: string, fields: string[]): Promise<number> {
  const [row] = await db().$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count ${stale(productId, fields)}`;
  return Number(row?.count ?? 0);
}

/**
 * Stores embeddings, unless the capability was reconfigured meanwhile
 * (`generation` no longer current): a stale job then writes nothing.
 * Returns whether they were written.
 */
export async function storeEmbeddings(
  productId: string,
  generation: number,
  model: string,
  items: { key: string; content: string; embedding: number[] }[],
): Promise<boolean> {
  const written = await db().$executeRaw`
    INSERT INTO record_embeddings (product_id, key, model, content, embedding)
    SELECT ${productId}::uuid, k, ${model}, c, v::vector
    FROM unnest(${items.map((item) => item.key)}::text[], ${items.map((item) => item.content)}::text[],
                ${items.map((item) => vectorLiteral(item.embedding))}::text[]) AS t(k, c, v)
    WHERE EXISTS (SELECT 1 FROM semantic_search s WHERE s.product_id = ${productId}::uuid AND s.generation = ${generation})
    ON CONFLICT (product_id, key) DO UPDATE SET model = EXCLUDED.model, content = EXCLUDED.content, embedding = EXCLUDED.embedding`;
  return written > 0;
}

export async function countEmbeddings(productId: string): Promise<number> {
  return db().recordEmbedding.count({ where: { productId } });
}

export async function deleteEmbeddings(productId: string): Promise<void> {
  await dropVectorIndex(productId);
  await db().$executeRaw`DELETE FROM record_embeddings WHERE product_id = ${productId}::uuid`;
}

export async function hasVectorIndex(productId: string): Promise<boolean> {
  const [row] = await db().$queryRaw<{ exists: boolean }[]>`SELECT to_regclass(${indexName(productId)}) IS NOT NULL AS exists`;
  return row?.exists ?? false;
}

/** The HNSW build options of the app's indexes (the bench may try others). */
export const HNSW_BUILD = { m: 16, efConstruction: 64 };

/**
 * hnsw.ef_search as `match_records` sets it for `candidates` (the
 * match_records_tuning migration: greatest(candidates * 2, 400)); HNSW
 * returns at most ef_search rows.
 */
export const efSearchFor = (candidates: number) => Math.max(candidates * 2, 400);

/** Identifiers and numbers spliced into SQL text: checked, never user text. */
function checkedVectorSql(productId: string, dimensions: number): { id: string; d: number } {
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new Error(`Invalid dimensions ${dimensions}`);
  if (!/^[0-9a-f-]{36}$/i.test(productId)) throw new Error(`Invalid product id ${productId}`);
  return { id: productId, d: dimensions };
}

/** Builds the product's HNSW index (cosine) over its current embeddings. */
export async function createVectorIndex(productId: string, dimensions: number, { m, efConstruction } = HNSW_BUILD): Promise<void> {
  const { id, d } = checkedVectorSql(productId, dimensions);
  if (!Number.isInteger(m) || !Number.isInteger(efConstruction)) throw new Error("HNSW options must be integers");
  await createIndexOnce(
    indexName(id),
    `CREATE INDEX IF NOT EXISTS "${indexName(id)}" ON record_embeddings
     USING hnsw ((embedding::vector(${d})) vector_cosine_ops) WITH (m = ${m}, ef_construction = ${efConstruction})
     WHERE product_id = '${id}'`,
  );
}

/** Refreshes the planner's statistics of the embeddings (PGlite runs no autovacuum). */
export async function analyzeEmbeddings(): Promise<void> {
  await db().$executeRawUnsafe("ANALYZE record_embeddings");
}

export async function dropVectorIndex(productId: string): Promise<void> {
  await db().$executeRawUnsafe(`DROP INDEX IF EXISTS "${indexName(productId)}"`);
}

export interface Match {
  key: string;
  score: number;
  similarity: number | null;
  vectorRank: number | null;
  /** Rank by plain BM25 of the question (reported, not fused). */
  textRank: number | null;
  /** Rank by the BM25 query expanded with the question words' nearest vocabulary words. */
  expandedRank: number | null;
  bm25: number | null;
  /** BM25 as a share of the question's BM25 weight (Σ idf of its lexemes). */
  lexical: number | null;
}

type MatchRow = {
  key: string;
  score: number;
  similarity: number | null;
  vector_rank: number | null;
  text_rank: number | null;
  expanded_rank: number | null;
  bm25: number | null;
  lexical: number | null;
};

/** A question word and its embedding by the product's model, for the query expansion. */
export interface QueryWord {
  word: string;
  embedding: number[];
}

/**
 * Hybrid search of one product: vector similarity, BM25 and BM25 expanded by
 * the question words' nearest vocabulary words, fused by rank, by the
 * `match_records` SQL function — through supabase-js `rpc()` when a Supabase
 * project is configured, else in SQL on the connection.
 */
export async function matchRecords(
  productId: string,
  embedding: number[],
  question: string,
  k: number,
  {
    candidates = Math.max(40, k * 2),
    words = [],
    via = supabase() ? "rpc" : "sql",
    exact = false,
  }: {
    candidates?: number;
    words?: QueryWord[];
    via?: "sql" | "rpc";
    /** Benchmarks' ground truth: the same function with index scans disabled, so every nearest-neighbour step (records, vocabulary words) is an exact scan instead of HNSW. */
    exact?: boolean;
  } = {},
): Promise<Match[]> {
  const args = {
    product: productId,
    query_embedding: vectorLiteral(embedding),
    query_text: question,
    k,
    candidates,
    word_embeddings: words.map((word) => vectorLiteral(word.embedding)),
  };
  const query = (client: Pick<Prisma.TransactionClient, "$queryRaw">) => client.$queryRaw<MatchRow[]>`
    SELECT * FROM match_records(${productId}::uuid, ${args.query_embedding}::vector, ${question}, ${k}::int, ${candidates}::int,
                                ${args.word_embeddings}::text[])`;
  const rows =
    via === "rpc"
      ? await matchRecordsRpc(args)
      : exact
        ? await db().$transaction(async (tx) => {
            // HNSW scans are index scans only (no bitmap scans): with them off the planner must scan and sort.
            await tx.$queryRawUnsafe(`SELECT set_config('enable_indexscan', 'off', true)`);
            return query(tx);
          })
        : await query(db());
  return rows.map((row) => ({
    key: row.key,
    score: row.score,
    similarity: row.similarity,
    vectorRank: row.vector_rank,
    textRank: row.text_rank,
    expandedRank: row.expanded_rank,
    bm25: row.bm25,
    lexical: row.lexical,
  }));
}

async function matchRecordsRpc(args: Record<string, unknown>): Promise<MatchRow[]> {
  const client = supabase();
  if (!client) throw new Error("Supabase is not configured (SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY)");
  const { data, error } = await client.rpc("match_records", args);
  if (error) throw new Error(`match_records through Supabase failed: ${error.message}`);
  return data as MatchRow[];
}

/** Passages of the embedded text that match the question's terms, marked with ** **. */
export async function highlights(productId: string, keys: string[], question: string): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db().$queryRaw<{ key: string; headline: string }[]>`
    WITH q AS (SELECT replace(plainto_tsquery('english', ${question})::text, ' & ', ' | ')::tsquery AS q)
    SELECT e.key, ts_headline('english', e.content, q.q, 'StartSel=**, StopSel=**, MaxFragments=2, MaxWords=18, MinWords=6') AS headline
    FROM record_embeddings e, q
    WHERE e.product_id = ${productId}::uuid AND e.key = ANY(${keys}::text[]) AND numnode(q.q) > 0 AND e.content_tsv @@ q.q`;
  return new Map(rows.map((row) => [row.key, row.headline]));
}

/** Exact nearest neighbours by a full scan (the expression does not match the index): ground truth for benchmarks. */
export async function exactNearest(productId: string, embedding: number[], dimensions: number, k: number): Promise<string[]> {
  const rows = await db().$queryRawUnsafe<{ key: string }[]>(
    `SELECT key FROM record_embeddings WHERE product_id = $1::uuid
     ORDER BY (embedding::vector(${Number(dimensions)}) <=> $2::vector(${Number(dimensions)})) + 0 LIMIT $3`,
    productId,
    vectorLiteral(embedding),
    k,
  );
  return rows.map((row) => row.key);
}

/** The planner's plan of match_records' nearest-neighbour step (same SQL shape, same ef_search): for benchmarks. */
export async function explainNearest(productId: string, dimensions: number, embedding: number[], candidates: number): Promise<string[]> {
  const { id, d } = checkedVectorSql(productId, dimensions);
  return db().$transaction(async (tx) => {
    await tx.$queryRawUnsafe(`SELECT set_config('hnsw.ef_search', $1, true)`, String(efSearchFor(candidates)));
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
      `EXPLAIN SELECT e.key, e.embedding::vector(${d}) <=> $1::vector(${d}) AS distance
       FROM record_embeddings e WHERE e.product_id = '${id}'
       ORDER BY e.embedding::vector(${d}) <=> $1::vector(${d}) LIMIT ${Number(candidates)}`,
      vectorLiteral(embedding),
    );
    return rows.map((row) => row["QUERY PLAN"]);
  });
}

/** Cosine distance from `embedding` to the stored embedding of record `key`. */
export async function distanceToRecord(productId: string, dimensions: number, embedding: number[], key: string): Promise<number> {
  const { d } = checkedVectorSql(productId, dimensions);
  const [row] = await db().$queryRawUnsafe<{ d: number }[]>(
    `SELECT (embedding::vector(${d}) <=> $2::vector(${d}))::float8 AS d FROM record_embeddings WHERE product_id = $1::uuid AND key = $3`,
    productId,
    vectorLiteral(embedding),
    key,
  );
  if (!row) throw new Error(`No embedding for ${key}`);
  return row.d;
}

const parseVector = (text: string) => text.slice(1, -1).split(",").map(Number);

/** Stored embeddings in key order after `after`, with the text they were computed from. */
export async function embeddingsAfter(productId: string, after: string, limit: number): Promise<{ key: string; content: string; embedding: number[] }[]> {
  const rows = await db().$queryRaw<{ key: string; content: string; v: string }[]>`
    SELECT key, content, embedding::text AS v FROM record_embeddings
    WHERE product_id = ${productId}::uuid AND key > ${after} ORDER BY key LIMIT ${limit}`;
  return rows.map((row) => ({ key: row.key, content: row.content, embedding: parseVector(row.v) }));
}

/** A fixed pseudo-random sample of stored embeddings (ordered by md5 of the key). */
export async function sampleEmbeddings(productId: string, limit: number): Promise<{ key: string; embedding: number[] }[]> {
  const rows = await db().$queryRaw<{ key: string; v: string }[]>`
    SELECT key, embedding::text AS v FROM record_embeddings WHERE product_id = ${productId}::uuid ORDER BY md5(key) LIMIT ${limit}`;
  return rows.map((row) => ({ key: row.key, embedding: parseVector(row.v) }));
}

export type ProductVectorKind = "description" | "schema";

export async function storeProductVectors(
  productId: string,
  model: string,
  vectors: { kind: ProductVectorKind; embedding: number[] }[],
): Promise<void> {
  await db().$executeRaw`
    INSERT INTO product_vectors (product_id, kind, model, embedding, updated_at)
    SELECT ${productId}::uuid, k, ${model}, v::vector, now()
    FROM unnest(${vectors.map((v) => v.kind)}::text[], ${vectors.map((v) => vectorLiteral(v.embedding))}::text[]) AS t(k, v)
    ON CONFLICT (product_id, kind) DO UPDATE SET model = EXCLUDED.model, embedding = EXCLUDED.embedding, updated_at = now()`;
}

export interface ProductMatch {
  productId: string;
  score: number;
  similarity: number | null;
  /** The product's record closest to the question, its similarity and rank among products. */
  record: { key: string; similarity: number; rank: number } | null;
  description: { similarity: number; rank: number } | null;
  /** BM25 of the expanded question (its words and related ones) over the product document (metadata and records), and its rank. */
  text: { bm25: number; rank: number } | null;
  /** BM25 of the question's own words over the product document, and its rank. */
  words: { bm25: number; rank: number } | null;
}

type ProductMatchRow = {
  product_id: string;
  score: number;
  similarity: number | null;
  record_key: string | null;
  record_similarity: number | null;
  record_rank: number | null;
  description_similarity: number | null;
  description_rank: number | null;
  bm25: number | null;
  text_rank: number | null;
  words_bm25: number | null;
  words_rank: number | null;
};

/**
 * Products ranked for a question (the `match_products` SQL function),
 * deprecated ones last; `words` (embedded by `model`) expand its BM25 query;
 * the `hidden` products are ranked by their metadata alone (nothing of their
 * records counts).
 */
export async function matchProducts(
  embedding: number[],
  model: string,
  question: string,
  k: number,
  { words = [], hidden = [] }: { words?: QueryWord[]; hidden?: string[] } = {},
): Promise<ProductMatch[]> {
  const rows = await db().$queryRaw<ProductMatchRow[]>`
    SELECT * FROM match_products(${vectorLiteral(embedding)}::vector, ${model}, ${question}, ${k}::int,
                                 ${words.map((word) => vectorLiteral(word.embedding))}::text[], ${hidden}::uuid[])`;
  return rows.map((row) => ({
    productId: row.product_id,
    score: row.score,
    similarity: row.similarity,
    record:
      row.record_key !== null && row.record_similarity !== null && row.record_rank !== null
        ? { key: row.record_key, similarity: row.record_similarity, rank: row.record_rank }
        : null,
    description:
      row.description_similarity !== null && row.description_rank !== null
        ? { similarity: row.description_similarity, rank: row.description_rank }
        : null,
    text: row.bm25 !== null && row.text_rank !== null ? { bm25: row.bm25, rank: row.text_rank } : null,
    words: row.words_bm25 !== null && row.words_rank !== null ? { bm25: row.words_bm25, rank: row.words_rank } : null,
  }));
}
