-- match_records scores BM25 once: the expanded query and the question's own
-- lexemes in one pass over the lexemes' heads (bm25_records_expanded), where
-- it called bm25_records twice, reading the question lexemes' heads twice.
-- Same rankings and scores: the expanded query holds every question lexeme at
-- weight 1, so plain BM25 is the same sum restricted to those lexemes.

-- BM25 of the expanded query (lexemes and weights, as bm25_records takes
-- them) and plain BM25 of `question_lexemes` (weight 1 each), over the same
-- postings: each record's two scores and ranks (ties by key), the records
-- within the first `k` of either ranking.
CREATE FUNCTION bm25_records_expanded(product uuid, lexemes text[], weights double precision[], question_lexemes text[],
                                      k integer DEFAULT 40, per_lexeme integer DEFAULT 100)
RETURNS TABLE (key text, score double precision, rank integer, plain_score double precision, plain_rank integer)
LANGUAGE sql STABLE
AS $$
    WITH stats AS (
        SELECT s.documents::double precision AS n, s.total_length::double precision / greatest(s.documents, 1) AS avg_length
        FROM lexical_stats s WHERE s.product_id = product
    ),
    query AS (
        SELECT q.lexeme, coalesce(max(q.weight), 0) AS weight, bool_or(q.question) AS question
        FROM (
            SELECT e.lexeme, e.weight, false FROM unnest(lexemes, weights) AS e(lexeme, weight)
            UNION ALL
            SELECT p.lexeme, NULL, true FROM unnest(question_lexemes) AS p(lexeme)
        ) AS q(lexeme, weight, question)
        GROUP BY q.lexeme
    ),
    weighted AS (
        SELECT q.lexeme, q.weight, q.question, bm25_idf(s.n, v.df) AS idf
        FROM query q JOIN lexical_vocabulary v ON v.product_id = product AND v.lexeme = q.lexeme, stats s
    ),
    scored AS (
        SELECT p.key, sum(w.weight * w.idf * p.saturation) AS score, sum(w.idf * p.saturation) FILTER (WHERE w.question) AS plain_score
        FROM weighted w CROSS JOIN stats s
        CROSS JOIN LATERAL (
            SELECT u.key, bm25_saturation(u.tf, u.length, s.avg_length) AS saturation
            FROM lexical_heads h, unnest(h.keys[1:per_lexeme], h.tfs[1:per_lexeme], h.lengths[1:per_lexeme]) AS u(key, tf, length)
            WHERE h.product_id = product AND h.lexeme = w.lexeme
        ) p
        GROUP BY p.key
    ),
    ranked AS (
        SELECT s.key, s.score, s.plain_score,
               CASE WHEN s.score > 0 THEN row_number() OVER (ORDER BY s.score DESC, s.key) END AS rank,
               CASE WHEN s.plain_score IS NOT NULL THEN row_number() OVER (ORDER BY s.plain_score DESC NULLS LAST, s.key) END AS plain_rank
        FROM scored s
    )
    SELECT r.key, r.score, r.rank::integer, r.plain_score, r.plain_rank::integer FROM ranked r
    WHERE r.rank <= k OR r.plain_rank <= k
$$;

-- As in lexical_retrieval, with both BM25 rankings from one bm25_records_expanded call.
CREATE OR REPLACE FUNCTION match_records(
    product uuid,
    query_embedding vector,
    query_text text,
    k integer DEFAULT 10,
    candidates integer DEFAULT 40,
    word_embeddings text[] DEFAULT NULL
)
RETURNS TABLE (key text, score double precision, similarity double precision, vector_rank integer, text_rank integer,
               expanded_rank integer, bm25 double precision, lexical double precision)
LANGUAGE plpgsql
AS $$
DECLARE
    dims integer;
    model_id text;
    lexemes text[];
    question_weight double precision;
    expanded_lexemes text[];
    expanded_weights double precision[];
BEGIN
    SELECT s.dimensions, s.model INTO dims, model_id FROM semantic_search s WHERE s.product_id = product;
    IF dims IS NULL THEN
        RAISE EXCEPTION 'semantic search is not enabled for product %', product USING ERRCODE = 'P0002';
    END IF;
    IF vector_dims(query_embedding) <> dims THEN
        RAISE EXCEPTION 'query embedding has % dimensions, the product''s index has %', vector_dims(query_embedding), dims
            USING ERRCODE = '22000';
    END IF;

    SELECT coalesce(array_agg(t.lexeme), '{}') INTO lexemes FROM unnest(lexical_vector(query_text)) t;
    SELECT coalesce(sum(bm25_idf(s.documents, coalesce(v.df, 0))), 0) INTO question_weight
    FROM unnest(lexemes) AS q(lexeme)
    JOIN lexical_stats s ON s.product_id = product
    LEFT JOIN lexical_vocabulary v ON v.product_id = product AND v.lexeme = q.lexeme;
    SELECT coalesce(array_agg(e.lexeme), '{}'), coalesce(array_agg(e.weight), '{}') INTO expanded_lexemes, expanded_weights
    FROM expanded_query(query_text, model_id, word_embeddings, product) e;

    -- HNSW returns at most ef_search rows; keep it well above the candidate count.
    PERFORM set_config('hnsw.ef_search', greatest(candidates * 2, 400)::text, true);
    PERFORM set_config('hnsw.iterative_scan', 'off', true);
    RETURN QUERY EXECUTE format($sql$
        WITH nearest AS (
            SELECT e.key, e.embedding::vector(%1$s) <=> $1::vector(%1$s) AS distance
            FROM record_embeddings e
            WHERE e.product_id = %2$L
            ORDER BY e.embedding::vector(%1$s) <=> $1::vector(%1$s)
            LIMIT $3
        ),
        vector_hits AS (
            SELECT n.key, 1 - n.distance AS similarity, row_number() OVER (ORDER BY n.distance, n.key) AS r FROM nearest n
        ),
        lexical_hits AS MATERIALIZED (
            SELECT * FROM bm25_records_expanded(%2$L, $5, $6, $2, $3)
        ),
        expanded_hits AS (
            SELECT l.key, l.rank AS r FROM lexical_hits l WHERE l.rank <= $3
        ),
        fused AS (
            SELECT coalesce(v.key, x.key) AS key, v.similarity, v.r AS vr, x.r AS xr,
                   coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + x.r), 0) AS score
            FROM vector_hits v FULL OUTER JOIN expanded_hits x ON x.key = v.key
            ORDER BY score DESC, key
            LIMIT $4
        ),
        plain AS (
            SELECT l.key, l.plain_score AS score, l.plain_rank AS r FROM lexical_hits l WHERE l.plain_rank <= $3
        )
        SELECT f.key, f.score::double precision, f.similarity::double precision, f.vr::integer, t.r::integer, f.xr::integer,
               t.score::double precision, (t.score / nullif($7, 0))::double precision
        FROM fused f LEFT JOIN plain t ON t.key = f.key
        ORDER BY f.score DESC, f.key
    $sql$, dims, product)
    USING query_embedding, lexemes, candidates, k, expanded_lexemes, expanded_weights, question_weight;
END;
$$;
