-- match_records with the same results at a lower cost per question.
-- EXPLAIN ANALYZE of its BM25 step at 100k records (30 expanded lexemes:
-- 3,000 postings from their heads, 1,650 records scored) showed 1.9-34 ms of
-- planning per call (the whole statement was dynamic SQL, planned anew for
-- every question) and two sorts of all 1,650 scored records (a window over
-- all of them per ranking) to number the first `candidates` of each. Now:
-- * only the nearest-neighbour step is dynamic SQL (the planner needs the
--   product's id and dimensions as literals to use its partial HNSW index):
--   a small statement returning the `candidates` nearest keys in order;
-- * BM25 and the fusion are one static statement, whose plan PL/pgSQL keeps
--   between calls;
-- * each BM25 ranking takes its first `candidates` records by a bounded
--   top-N sort and numbers those: the same ranks as numbering all of them;
-- * a head is read whole (it holds lexical_head_size() postings, all that
--   BM25 reads of a lexeme) instead of through a copied slice.
-- Same fusion, ranks and tie rule (by key) as the one_bm25_pass version; a
-- record's BM25 may differ from it in the last bits of the double (the plan
-- adds its terms in another order), which can swap records whose scores tie
-- but for those bits (README "Benchmarks").
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
#variable_conflict use_column
DECLARE
    dims integer;
    model_id text;
    lexemes text[];
    question_weight double precision;
    expanded_lexemes text[];
    expanded_weights double precision[];
    nearest_keys text[];
    nearest_distances double precision[];
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
    PERFORM set_config('hnsw.ef_search', greatest(candidates * 2, 400)::text, true), set_config('hnsw.iterative_scan', 'off', true);
    EXECUTE format($sql$
        SELECT coalesce(array_agg(n.key ORDER BY n.distance, n.key), '{}'), coalesce(array_agg(n.distance ORDER BY n.distance, n.key), '{}')
        FROM (
            SELECT e.key, e.embedding::vector(%1$s) <=> $1::vector(%1$s) AS distance
            FROM record_embeddings e
            WHERE e.product_id = %2$L
            ORDER BY e.embedding::vector(%1$s) <=> $1::vector(%1$s)
            LIMIT $2
        ) n
    $sql$, dims, product)
    INTO nearest_keys, nearest_distances
    USING query_embedding, candidates;

    RETURN QUERY
    WITH vector_hits AS (
        SELECT n.key, 1 - n.distance AS similarity, n.r FROM unnest(nearest_keys, nearest_distances) WITH ORDINALITY AS n(key, distance, r)
    ),
    stats AS (
        SELECT s.documents::double precision AS n, s.total_length::double precision / greatest(s.documents, 1) AS avg_length
        FROM lexical_stats s WHERE s.product_id = product
    ),
    query AS (
        SELECT q.lexeme, coalesce(max(q.weight), 0) AS weight, bool_or(q.question) AS question
        FROM (
            SELECT e.lexeme, e.weight, false FROM unnest(expanded_lexemes, expanded_weights) AS e(lexeme, weight)
            UNION ALL
            SELECT p.lexeme, NULL, true FROM unnest(lexemes) AS p(lexeme)
        ) AS q(lexeme, weight, question)
        GROUP BY q.lexeme
    ),
    weighted AS (
        SELECT q.lexeme, q.weight, q.question, bm25_idf(s.n, v.df) AS idf
        FROM query q JOIN lexical_vocabulary v ON v.product_id = product AND v.lexeme = q.lexeme, stats s
    ),
    scored AS MATERIALIZED (
        SELECT p.key, sum(w.weight * w.idf * p.saturation) AS score, sum(w.idf * p.saturation) FILTER (WHERE w.question) AS plain_score
        FROM weighted w CROSS JOIN stats s
        CROSS JOIN LATERAL (
            SELECT u.key, bm25_saturation(u.tf, u.length, s.avg_length) AS saturation
            FROM lexical_heads h, unnest(h.keys, h.tfs, h.lengths) AS u(key, tf, length)
            WHERE h.product_id = product AND h.lexeme = w.lexeme
        ) p
        GROUP BY p.key
    ),
    expanded_hits AS (
        SELECT t.key, row_number() OVER (ORDER BY t.score DESC, t.key) AS r
        FROM (SELECT c.key, c.score FROM scored c WHERE c.score > 0 ORDER BY c.score DESC, c.key LIMIT candidates) t
    ),
    plain AS (
        SELECT t.key, t.score, row_number() OVER (ORDER BY t.score DESC, t.key) AS r
        FROM (SELECT c.key, c.plain_score AS score FROM scored c WHERE c.plain_score IS NOT NULL ORDER BY c.plain_score DESC, c.key LIMIT candidates) t
    ),
    fused AS (
        SELECT coalesce(v.key, x.key) AS key, v.similarity, v.r AS vr, x.r AS xr,
               coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + x.r), 0) AS score
        FROM vector_hits v FULL OUTER JOIN expanded_hits x ON x.key = v.key
        ORDER BY score DESC, key
        LIMIT k
    )
    SELECT f.key, f.score::double precision, f.similarity::double precision, f.vr::integer, t.r::integer, f.xr::integer,
           t.score::double precision, (t.score / nullif(question_weight, 0))::double precision
    FROM fused f LEFT JOIN plain t ON t.key = f.key
    ORDER BY f.score DESC, f.key;
END;
$$;
