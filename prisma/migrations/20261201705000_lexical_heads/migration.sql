-- Lexical heads: per lexeme of a product, its 100 postings of highest impact
-- (best first, ties by key) in one small row, kept up to date when a load
-- flushes. BM25 reads a lexeme's head instead of its chunks: a chunk holds
-- all of a lexeme's postings in arrays, and reading even the first few
-- elements of an array reads (and decompresses) all of it, so a word shared
-- by half of 100k records cost every query ~1 MB per chunk. A query now reads
-- at most 100 postings per lexeme however common the word, as bm25_records
-- always meant to. The chunks stay the complete lists the heads are refilled
-- from when records leave.

CREATE TABLE "lexical_heads" (
    "product_id" UUID NOT NULL,
    "lexeme" TEXT NOT NULL,
    "keys" TEXT[] NOT NULL,
    "tfs" INTEGER[] NOT NULL,
    "lengths" INTEGER[] NOT NULL,
    "impacts" REAL[] NOT NULL,

    CONSTRAINT "lexical_heads_pkey" PRIMARY KEY ("product_id", "lexeme")
);
ALTER TABLE "lexical_heads" ADD CONSTRAINT "lexical_heads_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Postings per lexeme that BM25 reads (bm25_records' most per_lexeme).
CREATE FUNCTION lexical_head_size() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT 100 $$;

-- As in lexical_chunks, then the heads of the lexemes the load touched: the
-- best of their previous head (without the records that left or were
-- replaced) and of the lexeme's newest chunk, the one just written (for a
-- rewritten lexeme its only chunk, holding all its postings). A lexeme left
-- without postings loses its head.
CREATE OR REPLACE FUNCTION lexical_flush(product uuid) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    avg_length double precision;
BEGIN
    PERFORM lexical_load_ready();
    -- The staged records' terms, from their documents (a record staged and then deleted has none).
    INSERT INTO lexical_load_terms (lexeme, key, tf, length)
    SELECT u.lexeme, d.key, u.tf, d.length
    FROM lexical_load_keys k
    JOIN lexical_documents d ON d.product_id = k.product_id AND d.key = k.key
    CROSS JOIN unnest(d.lexemes, d.tfs) AS u(lexeme, tf)
    WHERE k.product_id = product;

    INSERT INTO lexical_vocabulary (product_id, lexeme, df, tf)
    SELECT product, c.lexeme, sum(c.df), sum(c.tf)
    FROM (
        SELECT t.lexeme, count(*) AS df, sum(t.tf) AS tf FROM lexical_load_terms t GROUP BY t.lexeme
        UNION ALL
        SELECT u.lexeme, -count(*), -sum(u.tf)
        FROM lexical_load_removed r, unnest(r.lexemes, r.tfs) AS u(lexeme, tf)
        WHERE r.product_id = product GROUP BY u.lexeme
    ) c
    GROUP BY c.lexeme ORDER BY c.lexeme
    ON CONFLICT (product_id, lexeme) DO UPDATE SET df = lexical_vocabulary.df + EXCLUDED.df, tf = lexical_vocabulary.tf + EXCLUDED.tf;
    DELETE FROM lexical_vocabulary v WHERE v.product_id = product AND v.df <= 0;
    UPDATE lexical_stats s
    SET documents = s.documents + c.documents, total_length = s.total_length + c.length, updated_at = now()
    FROM (SELECT coalesce(sum(x.documents), 0) AS documents, coalesce(sum(x.length), 0) AS length FROM lexical_load_counts x WHERE x.product_id = product) c
    WHERE s.product_id = product
    RETURNING s.total_length::double precision / greatest(s.documents, 1) INTO avg_length;

    WITH new_lexemes AS (SELECT DISTINCT t.lexeme FROM lexical_load_terms t),
    rewritten AS (
        SELECT DISTINCT u.lexeme FROM lexical_load_removed r, unnest(r.lexemes) AS u(lexeme) WHERE r.product_id = product
        UNION
        SELECT p.lexeme FROM lexical_postings p JOIN new_lexemes n ON n.lexeme = p.lexeme
        WHERE p.product_id = product GROUP BY p.lexeme HAVING count(*) >= 7
    ),
    gone AS (
        DELETE FROM lexical_postings p USING rewritten w
        WHERE p.product_id = product AND p.lexeme = w.lexeme
        RETURNING p.lexeme, p.keys, p.tfs, p.lengths, p.impacts
    ),
    postings AS (
        SELECT g.lexeme, u.key, u.tf, u.length, u.impact
        FROM gone g, unnest(g.keys, g.tfs, g.lengths, g.impacts) AS u(key, tf, length, impact)
        WHERE NOT EXISTS (SELECT 1 FROM lexical_load_removed r WHERE r.product_id = product AND r.key = u.key)
        UNION ALL
        SELECT t.lexeme, t.key, t.tf, t.length, bm25_saturation(t.tf, t.length, avg_length)::real
        FROM lexical_load_terms t
    ),
    chunks AS (
        SELECT p.lexeme,
               array_agg(p.key ORDER BY p.impact DESC, p.key) AS keys,
               array_agg(p.tf ORDER BY p.impact DESC, p.key) AS tfs,
               array_agg(p.length ORDER BY p.impact DESC, p.key) AS lengths,
               array_agg(p.impact ORDER BY p.impact DESC, p.key) AS impacts
        FROM postings p GROUP BY p.lexeme
    )
    INSERT INTO lexical_postings (product_id, lexeme, chunk, keys, tfs, lengths, impacts)
    SELECT product, c.lexeme,
           coalesce((SELECT max(p.chunk) FROM lexical_postings p WHERE p.product_id = product AND p.lexeme = c.lexeme), 0) + 1,
           c.keys, c.tfs, c.lengths, c.impacts
    FROM chunks c;

    WITH touched AS (
        SELECT t.lexeme FROM lexical_load_terms t
        UNION
        SELECT u.lexeme FROM lexical_load_removed r, unnest(r.lexemes) AS u(lexeme) WHERE r.product_id = product
    ),
    candidates AS (
        SELECT h.lexeme, u.key, u.tf, u.length, u.impact
        FROM touched t
        JOIN lexical_heads h ON h.product_id = product AND h.lexeme = t.lexeme
        CROSS JOIN unnest(h.keys, h.tfs, h.lengths, h.impacts) AS u(key, tf, length, impact)
        WHERE NOT EXISTS (SELECT 1 FROM lexical_load_removed r WHERE r.product_id = product AND r.key = u.key)
        UNION
        SELECT t.lexeme, u.key, u.tf, u.length, u.impact
        FROM touched t
        CROSS JOIN LATERAL (
            SELECT p.keys, p.tfs, p.lengths, p.impacts FROM lexical_postings p
            WHERE p.product_id = product AND p.lexeme = t.lexeme ORDER BY p.chunk DESC LIMIT 1
        ) c
        CROSS JOIN unnest(c.keys[1:lexical_head_size()], c.tfs[1:lexical_head_size()], c.lengths[1:lexical_head_size()],
                          c.impacts[1:lexical_head_size()]) AS u(key, tf, length, impact)
    ),
    ranked AS (
        SELECT c.*, row_number() OVER (PARTITION BY c.lexeme ORDER BY c.impact DESC, c.key) AS n FROM candidates c
    ),
    heads AS (
        SELECT r.lexeme, array_agg(r.key ORDER BY r.n) AS keys, array_agg(r.tf ORDER BY r.n) AS tfs,
               array_agg(r.length ORDER BY r.n) AS lengths, array_agg(r.impact ORDER BY r.n) AS impacts
        FROM ranked r WHERE r.n <= lexical_head_size() GROUP BY r.lexeme
    ),
    emptied AS (
        DELETE FROM lexical_heads h USING touched t
        WHERE h.product_id = product AND h.lexeme = t.lexeme AND NOT EXISTS (SELECT 1 FROM heads x WHERE x.lexeme = t.lexeme)
    )
    INSERT INTO lexical_heads (product_id, lexeme, keys, tfs, lengths, impacts)
    SELECT product, x.lexeme, x.keys, x.tfs, x.lengths, x.impacts FROM heads x
    ON CONFLICT (product_id, lexeme) DO UPDATE
    SET keys = EXCLUDED.keys, tfs = EXCLUDED.tfs, lengths = EXCLUDED.lengths, impacts = EXCLUDED.impacts;

    DELETE FROM lexical_load_terms;
    DELETE FROM lexical_load_removed WHERE product_id = product;
    DELETE FROM lexical_load_keys WHERE product_id = product;
    DELETE FROM lexical_load_counts WHERE product_id = product;
END;
$$;

-- BM25 of one product's records for weighted query lexemes (a lexeme given
-- twice keeps its highest weight): score = Σ weight · idf · saturation over
-- each lexeme's `per_lexeme` postings of highest impact (at most its head's).
CREATE OR REPLACE FUNCTION bm25_records(product uuid, lexemes text[], weights double precision[], k integer DEFAULT 40,
                                        per_lexeme integer DEFAULT 100)
RETURNS TABLE (key text, score double precision)
LANGUAGE sql STABLE
AS $$
    WITH stats AS (
        SELECT s.documents::double precision AS n, s.total_length::double precision / greatest(s.documents, 1) AS avg_length
        FROM lexical_stats s WHERE s.product_id = product
    ),
    query AS (
        SELECT q.lexeme, max(q.weight) AS weight FROM unnest(lexemes, weights) AS q(lexeme, weight) GROUP BY q.lexeme
    ),
    weighted AS (
        SELECT q.lexeme, q.weight * bm25_idf(s.n, v.df) AS weight
        FROM query q JOIN lexical_vocabulary v ON v.product_id = product AND v.lexeme = q.lexeme, stats s
    )
    SELECT p.key, sum(w.weight * bm25_saturation(p.tf, p.length, s.avg_length)) AS score
    FROM weighted w CROSS JOIN stats s
    CROSS JOIN LATERAL (
        SELECT u.key, u.tf, u.length
        FROM lexical_heads h, unnest(h.keys[1:per_lexeme], h.tfs[1:per_lexeme], h.lengths[1:per_lexeme]) AS u(key, tf, length)
        WHERE h.product_id = product AND h.lexeme = w.lexeme
    ) p
    GROUP BY p.key
    ORDER BY score DESC, p.key
    LIMIT k
$$;

-- Existing catalogs: every lexeme's head from its chunks (each sorted best first).
INSERT INTO lexical_heads (product_id, lexeme, keys, tfs, lengths, impacts)
SELECT r.product_id, r.lexeme, array_agg(r.key ORDER BY r.n), array_agg(r.tf ORDER BY r.n), array_agg(r.length ORDER BY r.n),
       array_agg(r.impact ORDER BY r.n)
FROM (
    SELECT p.product_id, p.lexeme, u.key, u.tf, u.length, u.impact,
           row_number() OVER (PARTITION BY p.product_id, p.lexeme ORDER BY u.impact DESC, u.key) AS n
    FROM lexical_postings p,
         unnest(p.keys[1:lexical_head_size()], p.tfs[1:lexical_head_size()], p.lengths[1:lexical_head_size()],
                p.impacts[1:lexical_head_size()]) AS u(key, tf, length, impact)
) r
WHERE r.n <= lexical_head_size()
GROUP BY r.product_id, r.lexeme;
