-- Records: when a product's records were last loaded.
ALTER TABLE "products" ADD COLUMN "last_loaded_at" TIMESTAMPTZ(3);

-- The semantic search capability of a product; no row means disabled.
CREATE TABLE "semantic_search" (
    "product_id" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "dimensions" INTEGER NOT NULL,
    "fields" TEXT[],
    "status" TEXT NOT NULL,
    "indexed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "semantic_search_pkey" PRIMARY KEY ("product_id"),
    CONSTRAINT "semantic_search_status_check" CHECK ("status" IN ('indexing', 'ready', 'failed'))
);

ALTER TABLE "semantic_search" ADD CONSTRAINT "semantic_search_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One embedding per record. The column has no fixed dimension so that models
-- of different sizes can coexist; each product's HNSW index (created by
-- lib/db/retrieval.ts once its records are embedded) is a partial expression
-- index over `embedding::vector(<dimensions>)` for that product alone, so
-- vectors of different models never meet in one index or one search.
CREATE TABLE "record_embeddings" (
    "product_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    -- Full text covers the primary key too, so an exact id is found.
    "content_tsv" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "key" || E'\n' || "content")) STORED,
    "embedding" vector NOT NULL,

    CONSTRAINT "record_embeddings_pkey" PRIMARY KEY ("product_id", "key")
);

ALTER TABLE "record_embeddings" ADD CONSTRAINT "record_embeddings_product_id_key_fkey"
    FOREIGN KEY ("product_id", "key") REFERENCES "records"("product_id", "key") ON DELETE CASCADE ON UPDATE CASCADE;

-- Full-text side of hybrid ranking.
CREATE INDEX "record_embeddings_content_tsv_idx" ON "record_embeddings" USING GIN ("content_tsv");

-- Hybrid search over one product's records: the `candidates` nearest vectors
-- (cosine distance, `<=>`) and the `candidates` best full-text matches (any
-- query term, ranked by ts_rank_cd), fused by reciprocal rank fusion:
-- score = 1/(60 + vector rank) + 1/(60 + text rank).
-- The vector query is built with the product's id and dimensions as literals so
-- that the planner uses that product's partial HNSW index.
-- Callable from SQL and, on Supabase, through supabase-js `rpc('match_records', ...)`.
CREATE OR REPLACE FUNCTION match_records(
    product uuid,
    query_embedding vector,
    query_text text,
    k integer DEFAULT 10,
    candidates integer DEFAULT 40
)
RETURNS TABLE (key text, score double precision, similarity double precision, vector_rank integer, text_rank integer)
LANGUAGE plpgsql
AS $$
DECLARE
    dims integer;
BEGIN
    SELECT s.dimensions INTO dims FROM semantic_search s WHERE s.product_id = product;
    IF dims IS NULL THEN
        RAISE EXCEPTION 'semantic search is not enabled for product %', product USING ERRCODE = 'P0002';
    END IF;
    IF vector_dims(query_embedding) <> dims THEN
        RAISE EXCEPTION 'query embedding has % dimensions, the product''s index has %', vector_dims(query_embedding), dims
            USING ERRCODE = '22000';
    END IF;
    -- HNSW returns at most ef_search rows; keep it above the candidate count.
    PERFORM set_config('hnsw.ef_search', greatest(candidates * 2, 100)::text, true);
    RETURN QUERY EXECUTE format($sql$
        WITH nearest AS (
            SELECT e.key, e.embedding::vector(%1$s) <=> $1::vector(%1$s) AS distance
            FROM record_embeddings e
            WHERE e.product_id = %2$L
            ORDER BY e.embedding::vector(%1$s) <=> $1::vector(%1$s)
            LIMIT $3
        ),
        vector_hits AS (
            SELECT n.key, 1 - n.distance AS similarity, row_number() OVER (ORDER BY n.distance) AS r FROM nearest n
        ),
        text_query AS (
            SELECT replace(plainto_tsquery('english', $2)::text, ' & ', ' | ')::tsquery AS q
        ),
        text_hits AS (
            SELECT e.key, row_number() OVER (ORDER BY ts_rank_cd(e.content_tsv, tq.q) DESC, e.key) AS r
            FROM record_embeddings e, text_query tq
            WHERE e.product_id = %2$L AND numnode(tq.q) > 0 AND e.content_tsv @@ tq.q
            ORDER BY ts_rank_cd(e.content_tsv, tq.q) DESC, e.key
            LIMIT $3
        )
        SELECT coalesce(v.key, t.key),
               (coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + t.r), 0))::double precision,
               v.similarity::double precision,
               v.r::integer,
               t.r::integer
        FROM vector_hits v FULL OUTER JOIN text_hits t ON v.key = t.key
        ORDER BY 2 DESC, 1
        LIMIT $4
    $sql$, dims, product)
    USING query_embedding, coalesce(query_text, ''), candidates, k;
END;
$$;
