-- match_records, tuned from `npm run bench` at 100k records:
-- * hnsw.ef_search at least 400: at 100 the HNSW recall@10 varied between
--   index builds (0.8–1.0); at 400 it measured 1.000 with p95 16.7 ms.
-- * The full-text side first looks for records containing every term of the
--   question, and only when none does, any term: ranking every record that
--   shares a common word cost most of the hybrid query's time.
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
    -- HNSW returns at most ef_search rows; keep it well above the candidate count.
    PERFORM set_config('hnsw.ef_search', greatest(candidates * 2, 400)::text, true);
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
        all_terms AS (
            SELECT plainto_tsquery('english', $2) AS q
        ),
        any_term AS (
            SELECT replace(plainto_tsquery('english', $2)::text, ' & ', ' | ')::tsquery AS q
        ),
        every_term_hits AS (
            SELECT e.key, ts_rank_cd(e.content_tsv, t.q) AS rank
            FROM record_embeddings e, all_terms t
            WHERE e.product_id = %2$L AND numnode(t.q) > 0 AND e.content_tsv @@ t.q
            ORDER BY rank DESC, e.key
            LIMIT $3
        ),
        some_term_hits AS (
            SELECT e.key, ts_rank_cd(e.content_tsv, t.q) AS rank
            FROM record_embeddings e, any_term t
            WHERE e.product_id = %2$L AND numnode(t.q) > 0 AND e.content_tsv @@ t.q
              AND NOT EXISTS (SELECT 1 FROM every_term_hits)
            ORDER BY rank DESC, e.key
            LIMIT $3
        ),
        text_hits AS (
            SELECT h.key, row_number() OVER (ORDER BY h.rank DESC, h.key) AS r
            FROM (SELECT * FROM every_term_hits UNION ALL SELECT * FROM some_term_hits) h
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
