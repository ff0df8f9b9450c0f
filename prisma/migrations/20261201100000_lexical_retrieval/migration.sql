-- Lexical retrieval: BM25 over plain tables, kept in step with the records by
-- lexical_reindex() in the transaction that writes them. Plain SQL, so it runs
-- the same on PGlite, native Postgres and Supabase (no BM25 extension).

-- Tokeniser: Postgres' word parser, lower-cased, English stop words removed,
-- no stemming (morphological variants are bridged by the word-embedding
-- expansion of the query instead; see README "Retrieval").
CREATE TEXT SEARCH DICTIONARY mesh_stop (TEMPLATE = pg_catalog.simple, STOPWORDS = english);
CREATE TEXT SEARCH CONFIGURATION mesh_lexical (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION mesh_lexical
    ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart WITH mesh_stop;

-- Per product: document count, summed document length (for the average) and
-- the length of the product's own metadata (its "product document" is the
-- metadata plus all its records, for discovery).
CREATE TABLE "lexical_stats" (
    "product_id" UUID NOT NULL,
    "documents" INTEGER NOT NULL DEFAULT 0,
    "total_length" BIGINT NOT NULL DEFAULT 0,
    "metadata_length" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lexical_stats_pkey" PRIMARY KEY ("product_id")
);
ALTER TABLE "lexical_stats" ADD CONSTRAINT "lexical_stats_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A record's length in tokens (the key and every string field of the schema).
CREATE TABLE "lexical_documents" (
    "product_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "length" INTEGER NOT NULL,

    CONSTRAINT "lexical_documents_pkey" PRIMARY KEY ("product_id", "key")
);
ALTER TABLE "lexical_documents" ADD CONSTRAINT "lexical_documents_product_id_key_fkey"
    FOREIGN KEY ("product_id", "key") REFERENCES "records"("product_id", "key") ON DELETE CASCADE ON UPDATE CASCADE;

-- Postings: how often a lexeme occurs in a record. `impact` is the BM25 term
-- saturation tf·(k1+1)/(tf + k1·(1 − b + b·length/avgdl)) with the average
-- length when written: a lexeme's postings are read best first from the
-- index, so a query reads a bounded number of them however common the word.
-- Written only by lexical_stage(), which removes a record's postings before
-- writing new ones (no foreign key: it would cost a lookup per posting).
CREATE TABLE "lexical_postings" (
    "product_id" UUID NOT NULL,
    "lexeme" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "tf" INTEGER NOT NULL,
    "length" INTEGER NOT NULL,
    "impact" REAL NOT NULL
);
CREATE INDEX "lexical_postings_impact_idx" ON "lexical_postings" ("product_id", "lexeme", "impact" DESC, "key");
CREATE INDEX "lexical_postings_key_idx" ON "lexical_postings" ("product_id", "key");

-- The product's vocabulary: document frequency and total frequency per lexeme.
CREATE TABLE "lexical_vocabulary" (
    "product_id" UUID NOT NULL,
    "lexeme" TEXT NOT NULL,
    "df" INTEGER NOT NULL,
    "tf" BIGINT NOT NULL,

    CONSTRAINT "lexical_vocabulary_pkey" PRIMARY KEY ("product_id", "lexeme")
);
ALTER TABLE "lexical_vocabulary" ADD CONSTRAINT "lexical_vocabulary_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "lexical_vocabulary_lexeme_idx" ON "lexical_vocabulary" ("lexeme");
CREATE INDEX "lexical_vocabulary_unused_idx" ON "lexical_vocabulary" ("product_id") WHERE "df" <= 0;

-- Lexemes of the product's own metadata (products.search_text).
CREATE TABLE "lexical_metadata" (
    "product_id" UUID NOT NULL,
    "lexeme" TEXT NOT NULL,
    "tf" INTEGER NOT NULL,

    CONSTRAINT "lexical_metadata_pkey" PRIMARY KEY ("product_id", "lexeme")
);
ALTER TABLE "lexical_metadata" ADD CONSTRAINT "lexical_metadata_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "lexical_metadata_lexeme_idx" ON "lexical_metadata" ("lexeme");

-- Word embeddings of vocabulary lexemes, per embedding model, shared by the
-- products using that model: the query expansion looks up a question word's
-- nearest words here (an HNSW index per model, built by lib/db/lexical.ts).
CREATE TABLE "lexeme_vectors" (
    "model" TEXT NOT NULL,
    "lexeme" TEXT NOT NULL,
    "embedding" vector NOT NULL,

    CONSTRAINT "lexeme_vectors_pkey" PRIMARY KEY ("model", "lexeme")
);

-- When the product's search indexes were last rebuilt or brought up to date.
ALTER TABLE "semantic_search" ADD COLUMN "indexed_at" TIMESTAMPTZ(3);

-- Lexemes of a text, as both sides of BM25 see them.
CREATE FUNCTION lexical_vector(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_tsvector('mesh_lexical'::regconfig, coalesce(document, '')) $$;

-- What a record contributes lexically: its key and every string field of the schema.
CREATE FUNCTION lexical_string_fields(product uuid) RETURNS text[]
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(array_agg(f ->> 'name' ORDER BY i), '{}')
    FROM products p, jsonb_array_elements(p.schema -> 'fields') WITH ORDINALITY AS x(f, i)
    WHERE p.id = product AND f ->> 'type' = 'string'
$$;

-- BM25 parameters (k1 = 1.2, b = 0.75: textbook values; the dev sets barely
-- move with them, see README) and the term saturation.
CREATE FUNCTION bm25_saturation(tf double precision, length double precision, avg_length double precision,
                                k1 double precision DEFAULT 1.2, b double precision DEFAULT 0.75)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / greatest(avg_length, 1))) $$;

CREATE FUNCTION bm25_idf(documents double precision, df double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ln(1 + (documents - df + 0.5) / (df + 0.5)) $$;

-- (Re)indexes the product's metadata: called when it is registered or edited.
CREATE FUNCTION lexical_index_metadata(product uuid) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO lexical_stats (product_id) VALUES (product) ON CONFLICT (product_id) DO NOTHING;
    PERFORM 1 FROM lexical_stats WHERE product_id = product FOR UPDATE;
    DELETE FROM lexical_metadata WHERE product_id = product;
    WITH terms AS (
        SELECT t.lexeme, coalesce(array_length(t.positions, 1), 1) AS tf
        FROM products p, unnest(lexical_vector(p.search_text)) t
        WHERE p.id = product
    ),
    stored AS (INSERT INTO lexical_metadata (product_id, lexeme, tf) SELECT product, lexeme, tf FROM terms)
    UPDATE lexical_stats SET metadata_length = (SELECT coalesce(sum(tf), 0) FROM terms), updated_at = now()
    WHERE product_id = product;
END;
$$;

-- (Re)indexes records of a product (all of them when `keys` is NULL) in the
-- caller's transaction, in two steps:
--   lexical_stage(): replaces the records' postings and lengths now, and notes
--     the changes to the product's counters (vocabulary, stats) in a
--     session-local table that commit empties;
--   lexical_flush(): applies the noted changes, one update per lexeme.
-- A load stages every batch and flushes once before it commits: updating a
-- common word's vocabulary row once per batch would pile up row versions
-- (one transaction cannot prune its own), and each update would walk them.
-- The product's stats row is locked first, so concurrent loads of one product
-- queue instead of deadlocking on vocabulary rows. lexical_reindex() does both.
CREATE FUNCTION lexical_pending_ready() RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF to_regclass('pg_temp.lexical_pending') IS NULL THEN
        CREATE TEMP TABLE lexical_pending (
            product_id uuid NOT NULL, lexeme text NOT NULL, df integer NOT NULL, tf bigint NOT NULL
        ) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE lexical_pending_documents (
            product_id uuid NOT NULL, documents integer NOT NULL, length bigint NOT NULL
        ) ON COMMIT DELETE ROWS;
    END IF;
END;
$$;

-- Removes these records' postings and lengths, noting the counter changes
-- (lexical_flush applies them). Used by lexical_stage before it writes the
-- records' new terms, and by lexical_forget for records about to be deleted.
CREATE FUNCTION lexical_unstage(product uuid, keys text[]) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM lexical_pending_ready();
    INSERT INTO lexical_stats (product_id) VALUES (product) ON CONFLICT (product_id) DO NOTHING;
    PERFORM 1 FROM lexical_stats WHERE product_id = product FOR UPDATE;
    -- The records' old terms and lengths leave.
    WITH gone AS (
        DELETE FROM lexical_postings p WHERE p.product_id = product AND p.key = ANY (keys)
        RETURNING p.lexeme, p.tf
    )
    INSERT INTO lexical_pending (product_id, lexeme, df, tf)
    SELECT product, g.lexeme, -count(*), -sum(g.tf) FROM gone g GROUP BY g.lexeme;
    WITH gone AS (
        DELETE FROM lexical_documents d WHERE d.product_id = product AND d.key = ANY (keys)
        RETURNING d.length
    )
    INSERT INTO lexical_pending_documents (product_id, documents, length)
    SELECT product, -count(*), -coalesce(sum(g.length), 0) FROM gone g;
END;
$$;

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

    WITH docs AS (
        SELECT r.key, lexical_vector(r.key || E'\n' || coalesce(array_to_string(ARRAY(SELECT r.data ->> f FROM unnest(fields) AS f), E'\n'), '')) AS tsv
        FROM records r
        WHERE r.product_id = product AND r.key = ANY (keys)
    ),
    terms AS (
        SELECT d.key, t.lexeme, coalesce(array_length(t.positions, 1), 1) AS tf FROM docs d, unnest(d.tsv) t
    ),
    lengths AS (
        SELECT d.key, coalesce(sum(t.tf), 0)::integer AS length FROM docs d LEFT JOIN terms t ON t.key = d.key GROUP BY d.key
    ),
    batch AS (SELECT count(*) AS n, coalesce(sum(length), 0) AS total FROM lengths),
    average AS (
        SELECT (s.total_length + coalesce(p.length, 0) + b.total)::double precision / greatest(s.documents + coalesce(p.documents, 0) + b.n, 1) AS length
        FROM lexical_stats s
        CROSS JOIN batch b
        LEFT JOIN (SELECT sum(x.documents) AS documents, sum(x.length) AS length FROM lexical_pending_documents x WHERE x.product_id = product) p ON true
        WHERE s.product_id = product
    ),
    stored_documents AS (
        INSERT INTO lexical_documents (product_id, key, length) SELECT product, l.key, l.length FROM lengths l
    ),
    stored_postings AS (
        INSERT INTO lexical_postings (product_id, lexeme, key, tf, length, impact)
        SELECT product, t.lexeme, t.key, t.tf, l.length, bm25_saturation(t.tf, l.length, a.length)
        FROM terms t JOIN lengths l ON l.key = t.key, average a
    ),
    counted AS (
        INSERT INTO lexical_pending (product_id, lexeme, df, tf)
        SELECT product, t.lexeme, count(*), sum(t.tf) FROM terms t GROUP BY t.lexeme
    )
    INSERT INTO lexical_pending_documents (product_id, documents, length)
    SELECT product, b.n, b.total FROM batch b
    RETURNING documents INTO written;
    RETURN written;
END;
$$;

CREATE FUNCTION lexical_flush(product uuid) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM lexical_pending_ready();
    INSERT INTO lexical_vocabulary (product_id, lexeme, df, tf)
    SELECT product, p.lexeme, sum(p.df), sum(p.tf) FROM lexical_pending p
    WHERE p.product_id = product
    GROUP BY p.lexeme ORDER BY p.lexeme
    ON CONFLICT (product_id, lexeme) DO UPDATE SET df = lexical_vocabulary.df + EXCLUDED.df, tf = lexical_vocabulary.tf + EXCLUDED.tf;
    DELETE FROM lexical_vocabulary v WHERE v.product_id = product AND v.df <= 0;
    UPDATE lexical_stats s
    SET documents = s.documents + p.df, total_length = s.total_length + p.tf, updated_at = now()
    FROM (SELECT coalesce(sum(x.documents), 0) AS df, coalesce(sum(x.length), 0) AS tf FROM lexical_pending_documents x WHERE x.product_id = product) p
    WHERE s.product_id = product;
    DELETE FROM lexical_pending WHERE product_id = product;
    DELETE FROM lexical_pending_documents WHERE product_id = product;
END;
$$;

-- Takes records that are about to be deleted out of the index (their postings,
-- lengths and counters), in the caller's transaction.
CREATE FUNCTION lexical_forget(product uuid, keys text[]) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM lexical_unstage(product, keys);
    PERFORM lexical_flush(product);
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

-- BM25 of one product's records for weighted query lexemes (a lexeme given
-- twice keeps its highest weight): score = Σ weight · idf · saturation.
-- Each lexeme contributes its `per_lexeme` postings of highest impact, so a
-- common word costs a bounded index range, not a scan of every record with it.
CREATE FUNCTION bm25_records(product uuid, lexemes text[], weights double precision[], k integer DEFAULT 40,
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
        SELECT lp.key, lp.tf, lp.length FROM lexical_postings lp
        WHERE lp.product_id = product AND lp.lexeme = w.lexeme
        ORDER BY lp.impact DESC, lp.key LIMIT per_lexeme
    ) p
    GROUP BY p.key
    ORDER BY score DESC, p.key
    LIMIT k
$$;

-- BM25 over product documents (metadata + all records) for discovery, for
-- weighted lexemes as bm25_records takes them. The documents of the `hidden`
-- products are their metadata alone: nothing of their records counts, not even
-- in the document frequencies.
CREATE FUNCTION bm25_products(lexemes text[], weights double precision[], hidden uuid[] DEFAULT '{}')
RETURNS TABLE (product_id uuid, score double precision)
LANGUAGE sql STABLE
AS $$
    WITH docs AS (
        SELECT s.product_id,
               (CASE WHEN s.product_id = ANY (hidden) THEN 0 ELSE s.total_length END + s.metadata_length)::double precision AS length
        FROM lexical_stats s
    ),
    stats AS (SELECT count(*)::double precision AS n, avg(d.length) AS avg_length FROM docs d),
    query AS (
        SELECT q.lexeme, max(q.weight) AS weight FROM unnest(lexemes, weights) AS q(lexeme, weight) GROUP BY q.lexeme
    ),
    hits AS (
        SELECT q.lexeme, q.weight, h.product_id, sum(h.tf)::double precision AS tf
        FROM query q
        CROSS JOIN LATERAL (
            SELECT v.product_id, v.tf FROM lexical_vocabulary v WHERE v.lexeme = q.lexeme AND NOT (v.product_id = ANY (hidden))
            UNION ALL
            SELECT m.product_id, m.tf FROM lexical_metadata m WHERE m.lexeme = q.lexeme
        ) h
        GROUP BY q.lexeme, q.weight, h.product_id
    ),
    df AS (SELECT h.lexeme, count(*)::double precision AS df FROM hits h GROUP BY h.lexeme)
    SELECT h.product_id, sum(h.weight * bm25_idf(s.n, df.df) * bm25_saturation(h.tf, d.length, s.avg_length)) AS score
    FROM hits h JOIN df ON df.lexeme = h.lexeme JOIN docs d ON d.product_id = h.product_id, stats s
    GROUP BY h.product_id
$$;

-- The expanded query: the text's lexemes (weight 1) plus, for each question
-- word embedded by `model_id` (`word_embeddings`, vector literals), its up to
-- 5 nearest vocabulary words with cosine ≥ 0.5, weighted by that cosine; the
-- vocabulary of `product`, or of every product when it is NULL. A lexeme
-- reached several ways keeps its highest weight (bm25_* take the maximum).
-- The word search needs 5 neighbours: a small HNSW beam that widens
-- (iterative scan) until the product's vocabulary has given them.
CREATE FUNCTION expanded_query(query_text text, model_id text, word_embeddings text[], product uuid DEFAULT NULL)
RETURNS TABLE (lexeme text, weight double precision)
LANGUAGE plpgsql
AS $$
DECLARE
    dims integer;
BEGIN
    RETURN QUERY SELECT t.lexeme, 1.0::double precision FROM unnest(lexical_vector(query_text)) t;
    IF coalesce(cardinality(word_embeddings), 0) = 0 THEN
        RETURN;
    END IF;
    dims := vector_dims(word_embeddings[1]::vector);
    PERFORM set_config('hnsw.ef_search', '40', true);
    PERFORM set_config('hnsw.iterative_scan', CASE WHEN product IS NULL THEN 'off' ELSE 'relaxed_order' END, true);
    RETURN QUERY EXECUTE format($sql$
        WITH words AS MATERIALIZED (
            SELECT w::vector(%1$s) AS embedding FROM unnest($1::text[]) AS w
        )
        SELECT n.lexeme, 1 - n.distance
        FROM words w
        CROSS JOIN LATERAL (
            SELECT x.lexeme, x.embedding::vector(%1$s) <=> w.embedding AS distance
            FROM lexeme_vectors x
            WHERE x.model = %2$L
              AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM lexical_vocabulary v WHERE v.product_id = $2 AND v.lexeme = x.lexeme))
            ORDER BY x.embedding::vector(%1$s) <=> w.embedding
            LIMIT 5
        ) n
        WHERE n.distance <= 0.5
    $sql$, dims, model_id)
    USING word_embeddings, product;
END;
$$;

-- Existing catalogs: index what is already stored.
SELECT lexical_index_metadata(id) FROM products;
SELECT lexical_reindex(id, NULL) FROM products WHERE EXISTS (SELECT 1 FROM records r WHERE r.product_id = products.id);

-- Discovery no longer uses the centroid of a product's records (its best record is the evidence now).
DELETE FROM product_vectors WHERE kind = 'records';

-- Hybrid search over one product's records: the `candidates` nearest record
-- embeddings (cosine, the product's HNSW index) and BM25 of the expanded query
-- (expanded_query over the product's vocabulary; the question's own lexemes
-- when no word_embeddings are given) fused by reciprocal rank:
-- score = 1/(60 + vector rank) + 1/(60 + expanded rank). Fusing plain BM25 as
-- a third ranking measured no better on the dev sets (README "Retrieval"):
-- the expanded query holds the question's lexemes at full weight. Plain BM25
-- is still reported: its rank (text_rank), score (bm25) and `lexical`, that
-- score divided by the question's BM25 weight (Σ idf of its lexemes): the
-- share of the question the record matches, for relevance decisions.
-- The vector query is built with the product's id and dimensions as literals
-- so that the planner uses its partial HNSW index.
-- Callable from SQL and, on Supabase, through supabase-js `rpc('match_records', ...)`.
DROP FUNCTION match_records(uuid, vector, text, integer, integer);
CREATE FUNCTION match_records(
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
        expanded_hits AS (
            SELECT b.key, row_number() OVER (ORDER BY b.score DESC, b.key) AS r FROM bm25_records(%2$L, $5, $6, $3) b
        ),
        fused AS (
            SELECT coalesce(v.key, x.key) AS key, v.similarity, v.r AS vr, x.r AS xr,
                   coalesce(1.0 / (60 + v.r), 0) + coalesce(1.0 / (60 + x.r), 0) AS score
            FROM vector_hits v FULL OUTER JOIN expanded_hits x ON x.key = v.key
            ORDER BY score DESC, key
            LIMIT $4
        ),
        plain AS (
            SELECT b.key, b.score, row_number() OVER (ORDER BY b.score DESC, b.key) AS r
            FROM bm25_records(%2$L, $2, array_fill(1.0::double precision, ARRAY[cardinality($2)]), $3) b
        )
        SELECT f.key, f.score::double precision, f.similarity::double precision, f.vr::integer, t.r::integer, f.xr::integer,
               t.score::double precision, (t.score / nullif($7, 0))::double precision
        FROM fused f LEFT JOIN plain t ON t.key = f.key
        ORDER BY f.score DESC, f.key
    $sql$, dims, product)
    USING query_embedding, lexemes, candidates, k, expanded_lexemes, expanded_weights, question_weight;
END;
$$;

-- Ranks products for a question by three kinds of evidence, fused by
-- reciprocal rank (1/(60 + rank) each):
--   records:     the product's record closest to the question (its HNSW index;
--                products whose records are embedded with `model_id`);
--   description: cosine similarity of the question and the product's description vector;
--   bm25:        BM25 of the expanded query (expanded_query over every
--                product's vocabulary) over the product document: its metadata and all its records.
-- Deprecated products rank after all others; ties go by domain and name.
-- Products whose records use another model are found by the other two.
-- The `hidden` products (restricted ones whose records the reader may not
-- read) are ranked by their metadata alone: no record evidence, their BM25
-- document is their metadata, and their records take no rank from others.
DROP FUNCTION match_products(vector, text, text, integer);
CREATE FUNCTION match_products(query_embedding vector, model_id text, query_text text, k integer DEFAULT 10,
                               word_embeddings text[] DEFAULT NULL, hidden uuid[] DEFAULT '{}')
RETURNS TABLE (product_id uuid, score double precision, similarity double precision, best_kind text, text_rank integer,
               record_key text, record_similarity double precision, record_rank integer,
               description_similarity double precision, description_rank integer, bm25 double precision)
LANGUAGE plpgsql
AS $$
DECLARE
    dims integer := vector_dims(query_embedding);
    searched uuid;
    best_key text;
    best_similarity double precision;
    found_keys text[] := '{}';
    found_products uuid[] := '{}';
    found_similarities double precision[] := '{}';
    expanded_lexemes text[];
    expanded_weights double precision[];
BEGIN
    SELECT coalesce(array_agg(e.lexeme), '{}'), coalesce(array_agg(e.weight), '{}') INTO expanded_lexemes, expanded_weights
    FROM expanded_query(query_text, model_id, word_embeddings) e;
    PERFORM set_config('hnsw.ef_search', '100', true);
    PERFORM set_config('hnsw.iterative_scan', 'off', true);
    FOR searched IN
        SELECT s.product_id FROM semantic_search s
        WHERE s.model = model_id AND s.dimensions = dims AND NOT (s.product_id = ANY (hidden))
        ORDER BY s.product_id
    LOOP
        EXECUTE format($sql$
            SELECT e.key, 1 - (e.embedding::vector(%1$s) <=> $1::vector(%1$s))
            FROM record_embeddings e WHERE e.product_id = %2$L
            ORDER BY e.embedding::vector(%1$s) <=> $1::vector(%1$s) LIMIT 1
        $sql$, dims, searched) INTO best_key, best_similarity USING query_embedding;
        IF best_key IS NOT NULL THEN
            found_products := found_products || searched;
            found_keys := found_keys || best_key;
            found_similarities := found_similarities || best_similarity;
        END IF;
    END LOOP;

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
    fused AS (
        SELECT p.id, p.domain, p.name, p.status, r.key AS record_key, r.similarity AS record_similarity, r.rank AS record_rank,
               d.similarity AS description_similarity, d.rank AS description_rank, t.score AS bm25, t.rank AS text_rank,
               coalesce(1.0 / (60 + r.rank), 0) + coalesce(1.0 / (60 + d.rank), 0) + coalesce(1.0 / (60 + t.rank), 0) AS score
        FROM products p
        LEFT JOIN record_hits r ON r.product_id = p.id
        LEFT JOIN description_hits d ON d.product_id = p.id
        LEFT JOIN bm25_hits t ON t.product_id = p.id
        WHERE r.product_id IS NOT NULL OR d.product_id IS NOT NULL OR t.product_id IS NOT NULL
    )
    SELECT f.id, f.score::double precision,
           greatest(f.record_similarity, f.description_similarity)::double precision,
           CASE WHEN f.record_similarity IS NULL AND f.description_similarity IS NULL THEN NULL
                WHEN f.description_similarity IS NULL OR f.record_similarity >= f.description_similarity THEN 'records'
                ELSE 'description' END,
           f.text_rank::integer, f.record_key, f.record_similarity::double precision, f.record_rank::integer,
           f.description_similarity::double precision, f.description_rank::integer, f.bm25::double precision
    FROM fused f
    ORDER BY (f.status = 'deprecated'), f.score DESC, f.domain, f.name
    LIMIT k;
END;
$$;
