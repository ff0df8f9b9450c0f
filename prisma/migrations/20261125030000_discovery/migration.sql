-- Discovery: vectors that describe each product, embedded with the platform's
-- default embedding model. Kinds: 'description' (title, description, domain,
-- tags), 'schema' (field names and descriptions) and 'records' (the centroid of
-- the product's record embeddings, when they use the same model), so that a
-- product with an unhelpful name is still found by what it holds.
CREATE TABLE "product_vectors" (
    "product_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "embedding" vector NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_vectors_pkey" PRIMARY KEY ("product_id", "kind"),
    CONSTRAINT "product_vectors_kind_check" CHECK ("kind" IN ('description', 'schema', 'records'))
);

ALTER TABLE "product_vectors" ADD CONSTRAINT "product_vectors_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Full text over the product's metadata (search_text: name, title,
-- description, tags, field names and descriptions).
ALTER TABLE "products" ADD COLUMN "search_tsv" tsvector
    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "search_text")) STORED;
CREATE INDEX "products_search_tsv_idx" ON "products" USING GIN ("search_tsv");

-- Ranks products for a question: the best cosine similarity among a product's
-- vectors (`<=>` is cosine distance) and the full-text rank of its metadata
-- (any query term), fused by reciprocal rank: 1/(60 + rank) for each.
-- Deprecated products rank after all others. Exact scan: catalogs hold
-- thousands of products, not millions.
CREATE OR REPLACE FUNCTION match_products(query_embedding vector, model_id text, query_text text, k integer DEFAULT 10)
RETURNS TABLE (product_id uuid, score double precision, similarity double precision, best_kind text, text_rank integer)
LANGUAGE sql STABLE
AS $$
    WITH best AS (
        SELECT DISTINCT ON (v.product_id) v.product_id, 1 - (v.embedding <=> query_embedding) AS similarity, v.kind
        FROM product_vectors v
        WHERE v.model = model_id AND vector_dims(v.embedding) = vector_dims(query_embedding)
        ORDER BY v.product_id, v.embedding <=> query_embedding
    ),
    vector_hits AS (
        SELECT b.product_id, b.similarity, b.kind, row_number() OVER (ORDER BY b.similarity DESC) AS r FROM best b
    ),
    text_query AS (
        SELECT replace(plainto_tsquery('english', coalesce(query_text, ''))::text, ' & ', ' | ')::tsquery AS q
    ),
    text_hits AS (
        SELECT p.id AS product_id, row_number() OVER (ORDER BY ts_rank_cd(p.search_tsv, tq.q) DESC, p.id) AS r
        FROM products p, text_query tq
        WHERE numnode(tq.q) > 0 AND p.search_tsv @@ tq.q
    )
    SELECT coalesce(v.product_id, t.product_id),
           (coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + t.r), 0))::double precision AS score,
           v.similarity::double precision,
           v.kind,
           t.r::integer
    FROM vector_hits v
    FULL OUTER JOIN text_hits t ON v.product_id = t.product_id
    JOIN products p ON p.id = coalesce(v.product_id, t.product_id)
    ORDER BY (p.status = 'deprecated'), score DESC, p.id
    LIMIT k
$$;
