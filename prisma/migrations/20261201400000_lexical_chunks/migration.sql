-- Lexical postings in chunks: one row per lexeme and chunk holding that
-- lexeme's postings as parallel arrays (record keys, tf, document length,
-- impact), best impact first, instead of one row per (lexeme, record). A load
-- writes one chunk per lexeme it brings, in one statement when it flushes,
-- instead of an index entry per posting per batch: the per-posting B-tree
-- inserts were most of a load's time. A lexeme with many chunks has them
-- merged into one by the next load that brings it; records that are replaced
-- or deleted leave the chunks of their lexemes when the load flushes.

DROP FUNCTION lexical_reindex(uuid, text[]);
DROP FUNCTION lexical_forget(uuid, text[]);
DROP FUNCTION lexical_flush(uuid);
DROP FUNCTION lexical_stage(uuid, text[]);
DROP FUNCTION lexical_unstage(uuid, text[]);
DROP FUNCTION lexical_pending_ready();
DROP TABLE lexical_postings;

-- A record's terms (lexemes and their tf, in lexeme order), so that its
-- postings and counts can leave without reading the chunks for it.
ALTER TABLE lexical_documents ADD COLUMN "lexemes" TEXT[] NOT NULL DEFAULT '{}', ADD COLUMN "tfs" INTEGER[] NOT NULL DEFAULT '{}';

CREATE TABLE "lexical_postings" (
    "product_id" UUID NOT NULL,
    "lexeme" TEXT NOT NULL,
    "chunk" INTEGER NOT NULL,
    "keys" TEXT[] NOT NULL,
    "tfs" INTEGER[] NOT NULL,
    "lengths" INTEGER[] NOT NULL,
    "impacts" REAL[] NOT NULL,

    CONSTRAINT "lexical_postings_pkey" PRIMARY KEY ("product_id", "lexeme", "chunk")
);
ALTER TABLE "lexical_postings" ADD CONSTRAINT "lexical_postings_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What the current transaction's load has staged, per session (emptied at
-- commit): the keys it staged (their terms are in their documents), the
-- documents it replaces or deletes that were indexed before it, its document
-- count changes, and (while it flushes) the staged terms.
CREATE FUNCTION lexical_load_ready() RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF to_regclass('pg_temp.lexical_load_keys') IS NULL THEN
        CREATE TEMP TABLE lexical_load_removed (
            product_id uuid NOT NULL, key text NOT NULL, lexemes text[] NOT NULL, tfs integer[] NOT NULL
        ) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE lexical_load_keys (
            product_id uuid NOT NULL, key text NOT NULL, PRIMARY KEY (product_id, key)
        ) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE lexical_load_terms (
            lexeme text NOT NULL, key text NOT NULL, tf integer NOT NULL, length integer NOT NULL
        ) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE lexical_load_counts (
            product_id uuid NOT NULL, documents integer NOT NULL, length bigint NOT NULL
        ) ON COMMIT DELETE ROWS;
    END IF;
END;
$$;

-- Takes these records out of the index as of the end of the load: their
-- documents go now, their postings and counts when the load flushes. A record
-- staged earlier in the same load had no postings yet: only its document goes.
CREATE FUNCTION lexical_unstage(product uuid, keys text[]) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    restaged text[];
BEGIN
    PERFORM lexical_load_ready();
    INSERT INTO lexical_stats (product_id) VALUES (product) ON CONFLICT (product_id) DO NOTHING;
    PERFORM 1 FROM lexical_stats WHERE product_id = product FOR UPDATE;
    restaged := ARRAY(SELECT k.key FROM lexical_load_keys k WHERE k.product_id = product AND k.key = ANY (keys));
    WITH gone AS (
        DELETE FROM lexical_documents d WHERE d.product_id = product AND d.key = ANY (keys)
        RETURNING d.key, d.length, d.lexemes, d.tfs
    ),
    noted AS (
        INSERT INTO lexical_load_removed (product_id, key, lexemes, tfs)
        SELECT product, g.key, g.lexemes, g.tfs FROM gone g WHERE NOT (g.key = ANY (restaged))
    )
    INSERT INTO lexical_load_counts (product_id, documents, length)
    SELECT product, -count(*), -coalesce(sum(g.length), 0) FROM gone g;
END;
$$;

-- (Re)indexes records of a product (all of them when `keys` is NULL) in the
-- caller's transaction: their documents now, their postings and the counters
-- when the load flushes (lexical_flush). Returns the records staged.
CREATE FUNCTION lexical_stage(product uuid, keys text[]) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    fields text[] := lexical_string_fields(product);
    written integer;
BEGIN
    -- One plan for both cases: "key = ANY (keys)" uses the (product_id, key) indexes.
    IF keys IS NULL THEN
        keys := ARRAY(SELECT r.key FROM records r WHERE r.product_id = product);
    END IF;
    PERFORM lexical_unstage(product, keys);

    -- A tsvector lists its lexemes in order: each record's terms come from its
    -- own tsvector, without sorting the batch's terms.
    WITH docs AS (
        SELECT r.key, lexical_vector(r.key || E'\n' || coalesce(array_to_string(ARRAY(SELECT r.data ->> f FROM unnest(fields) AS f), E'\n'), '')) AS tsv
        FROM records r
        WHERE r.product_id = product AND r.key = ANY (keys)
    ),
    terms AS (
        SELECT d.key, tsvector_to_array(d.tsv) AS lexemes,
               ARRAY(SELECT coalesce(array_length(t.positions, 1), 1) FROM unnest(d.tsv) t) AS tfs
        FROM docs d
    ),
    documents AS (
        SELECT t.key, (SELECT coalesce(sum(x), 0) FROM unnest(t.tfs) AS x)::integer AS length, t.lexemes, t.tfs FROM terms t
    ),
    stored_documents AS (
        INSERT INTO lexical_documents (product_id, key, length, lexemes, tfs)
        SELECT product, d.key, d.length, d.lexemes, d.tfs FROM documents d
    ),
    staged_keys AS (
        INSERT INTO lexical_load_keys (product_id, key) SELECT product, d.key FROM documents d ON CONFLICT DO NOTHING
    )
    INSERT INTO lexical_load_counts (product_id, documents, length)
    SELECT product, count(*), coalesce(sum(d.length), 0) FROM documents d
    RETURNING documents INTO written;
    RETURN written;
END;
$$;

-- Applies what the load staged, set-based and once per load: the counters
-- (vocabulary, document count and length), then the postings. The chunks of
-- lexemes whose records left, and of lexemes that reached 8 chunks, are
-- rewritten without those records and merged with the load's new postings
-- into one chunk; other lexemes get one new chunk. Impacts use the average
-- document length after the load.
CREATE FUNCTION lexical_flush(product uuid) RETURNS void
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

    DELETE FROM lexical_load_terms;
    DELETE FROM lexical_load_removed WHERE product_id = product;
    DELETE FROM lexical_load_keys WHERE product_id = product;
    DELETE FROM lexical_load_counts WHERE product_id = product;
END;
$$;

CREATE FUNCTION lexical_reindex(product uuid, keys text[]) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    written integer := lexical_stage(product, keys);
BEGIN
    PERFORM lexical_flush(product);
    RETURN written;
END;
$$;

-- Takes records that are about to be deleted out of the index (their
-- postings, lengths and counters), in the caller's transaction.
CREATE FUNCTION lexical_forget(product uuid, keys text[]) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM lexical_unstage(product, keys);
    PERFORM lexical_flush(product);
END;
$$;

-- BM25 of one product's records for weighted query lexemes (a lexeme given
-- twice keeps its highest weight): score = Σ weight · idf · saturation. Each
-- lexeme contributes its `per_lexeme` postings of highest impact: the first
-- `per_lexeme` of each of its chunks (at most 8), best first.
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
        FROM lexical_postings lp,
             unnest(lp.keys[1:per_lexeme], lp.tfs[1:per_lexeme], lp.lengths[1:per_lexeme], lp.impacts[1:per_lexeme]) AS u(key, tf, length, impact)
        WHERE lp.product_id = product AND lp.lexeme = w.lexeme
        ORDER BY u.impact DESC, u.key LIMIT per_lexeme
    ) p
    GROUP BY p.key
    ORDER BY score DESC, p.key
    LIMIT k
$$;

-- Existing catalogs: the records' postings again, in chunks.
DELETE FROM lexical_documents;
DELETE FROM lexical_vocabulary;
UPDATE lexical_stats SET documents = 0, total_length = 0;
SELECT lexical_reindex(id, NULL) FROM products WHERE EXISTS (SELECT 1 FROM records r WHERE r.product_id = products.id);
