-- match_products finds every product's closest record in one statement,
-- where it looped over the products and planned and ran one statement each:
-- a UNION ALL of one nearest-record query per product (each with the
-- product's id and dimensions as literals, so that the planner can use its
-- partial HNSW index), planned and run once per question, with sorts off so
-- that the planner does use the index: at 20 products of 500 records it
-- sorted all of most products' vectors instead (an exact scan; the statistics
-- PGlite leaves, with no autovacuum, make it look cheaper).
CREATE OR REPLACE FUNCTION match_products(query_embedding vector, model_id text, query_text text, k integer DEFAULT 10,
                               word_embeddings text[] DEFAULT NULL, hidden uuid[] DEFAULT '{}')
RETURNS TABLE (product_id uuid, score double precision, similarity double precision, best_kind text, text_rank integer,
               record_key text, record_similarity double precision, record_rank integer,
               description_similarity double precision, description_rank integer, bm25 double precision,
               words_bm25 double precision, words_rank integer)
LANGUAGE plpgsql
AS $$
DECLARE
    dims integer := vector_dims(query_embedding);
    nearest_sql text;
    sort_setting text := current_setting('enable_sort');
    found_keys text[] := '{}';
    found_products uuid[] := '{}';
    found_similarities double precision[] := '{}';
    expanded_lexemes text[];
    expanded_weights double precision[];
    question_lexemes text[];
BEGIN
    SELECT coalesce(array_agg(t.lexeme), '{}') INTO question_lexemes FROM unnest(lexical_vector(query_text)) t;
    SELECT coalesce(array_agg(e.lexeme), '{}'), coalesce(array_agg(e.weight), '{}') INTO expanded_lexemes, expanded_weights
    FROM expanded_query(query_text, model_id, word_embeddings) e;
    PERFORM set_config('hnsw.ef_search', '100', true);
    PERFORM set_config('hnsw.iterative_scan', 'off', true);
    SELECT string_agg(format($sql$
        (SELECT %2$L::uuid AS product_id, e.key, 1 - (e.embedding::vector(%1$s) <=> $1::vector(%1$s)) AS similarity
         FROM record_embeddings e WHERE e.product_id = %2$L
         ORDER BY e.embedding::vector(%1$s) <=> $1::vector(%1$s) LIMIT 1)$sql$, dims, s.product_id), ' UNION ALL ' ORDER BY s.product_id)
    INTO nearest_sql
    FROM semantic_search s
    WHERE s.model = model_id AND s.dimensions = dims AND NOT (s.product_id = ANY (hidden));
    IF nearest_sql IS NOT NULL THEN
        -- Without sorts, so that each product's query reads its HNSW index: with the statistics
        -- PGlite leaves (no autovacuum) the planner chose to sort all of a 500-record product's
        -- vectors, about 100 times the index lookup's time in EXPLAIN ANALYZE.
        PERFORM set_config('enable_sort', 'off', true);
        EXECUTE 'SELECT coalesce(array_agg(n.product_id), ''{}''), coalesce(array_agg(n.key), ''{}''), coalesce(array_agg(n.similarity), ''{}'') FROM ('
                || nearest_sql || ') AS n'
        INTO found_products, found_keys, found_similarities
        USING query_embedding;
        PERFORM set_config('enable_sort', sort_setting, true);
    END IF;

    RETURN QUERY
    WITH record_hits AS (
        SELECT r.product_id, r.key, r.similarity, row_number() OVER (ORDER BY r.similarity DESC, p.domain, p.name) AS rank
        FROM unnest(found_products, found_keys, found_similarities) AS r(product_id, key, similarity)
        JOIN products p ON p.id = r.product_id
    ),
    description_hits AS (
        SELECT v.product_id, 1 - (v.embedding <=> query_embedding) AS similarity,
               row_number() OVER (ORDER BY v.embedding <=> query_embedding, p.domain, p.name) AS rank
        FROM product_vectors v JOIN products p ON p.id = v.product_id
        WHERE v.kind = 'description' AND v.model = model_id AND vector_dims(v.embedding) = dims
    ),
    bm25_hits AS (
        SELECT b.product_id, b.score, row_number() OVER (ORDER BY b.score DESC, p.domain, p.name) AS rank
        FROM bm25_products(expanded_lexemes, expanded_weights, hidden) b
        JOIN products p ON p.id = b.product_id
    ),
    words_hits AS (
        SELECT b.product_id, b.score, row_number() OVER (ORDER BY b.score DESC, p.domain, p.name) AS rank
        FROM bm25_products(question_lexemes, array_fill(1.0::double precision, ARRAY[cardinality(question_lexemes)]), hidden) b
        JOIN products p ON p.id = b.product_id
    ),
    fused AS (
        SELECT p.id, p.domain, p.name, p.status, r.key AS record_key, r.similarity AS record_similarity, r.rank AS record_rank,
               d.similarity AS description_similarity, d.rank AS description_rank, t.score AS bm25, t.rank AS text_rank,
               w.score AS words_bm25, w.rank AS words_rank,
               coalesce(1.0 / (60 + r.rank), 0) + coalesce(1.0 / (60 + d.rank), 0) + coalesce(1.0 / (60 + t.rank), 0)
                 + coalesce(1.0 / (60 + w.rank), 0) AS score
        FROM products p
        LEFT JOIN record_hits r ON r.product_id = p.id
        LEFT JOIN description_hits d ON d.product_id = p.id
        LEFT JOIN bm25_hits t ON t.product_id = p.id
        LEFT JOIN words_hits w ON w.product_id = p.id
        WHERE r.product_id IS NOT NULL OR d.product_id IS NOT NULL OR t.product_id IS NOT NULL OR w.product_id IS NOT NULL
    )
    SELECT f.id, f.score::double precision,
           greatest(f.record_similarity, f.description_similarity)::double precision,
           CASE WHEN f.record_similarity IS NULL AND f.description_similarity IS NULL THEN NULL
                WHEN f.description_similarity IS NULL OR f.record_similarity >= f.description_similarity THEN 'records'
                ELSE 'description' END,
           f.text_rank::integer, f.record_key, f.record_similarity::double precision, f.record_rank::integer,
           f.description_similarity::double precision, f.description_rank::integer, f.bm25::double precision,
           f.words_bm25::double precision, f.words_rank::integer
    FROM fused f
    ORDER BY (f.status = 'deprecated'), f.score DESC, f.domain, f.name
    LIMIT k;
END;
$$;
