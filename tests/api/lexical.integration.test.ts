import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertDomain } from "@/lib/db/accounts";
import { embedQuery } from "@/lib/ai/query-embedding";
import { db } from "@/lib/db/client";
import { purgeRecords } from "@/lib/db/health";
import { exactNearest, matchRecords } from "@/lib/db/retrieval";
import { findSemanticSearch } from "@/lib/db/semantic-search";
import { embedQuestionWords } from "@/lib/search/query-words";
import { discover } from "@/lib/services/discovery";
import { registerProduct } from "@/lib/services/products";
import { enableSemanticSearch, querySemantic, semanticSearchStatus } from "@/lib/services/semantic-search";
import { loadRecords } from "@/lib/services/records";
import { productInputSchema } from "@/lib/validation/product";
import { databaseVariants, uniqueDomain } from "@/tests/helpers/databases";
import { createTestUser, type TestUser } from "@/tests/helpers/users";

/**
 * The BM25 tables (lexical_retrieval migration) on every database: kept in
 * step with the records by the load's own transaction, scored by plain SQL,
 * the same on PGlite in-process, over the wire protocol and on Postgres.
 */

const schema = {
  primaryKey: "ticket_id",
  fields: [
    { name: "ticket_id", type: "string" as const, required: true },
    { name: "subject", type: "string" as const, required: true },
    { name: "body", type: "string" as const },
    { name: "opened", type: "date" as const },
    { name: "csat", type: "integer" as const },
  ],
};

const TICKETS = [
  { ticket_id: "T-1", subject: "Refund still missing", body: "Returned the router, the refund never arrived.", opened: "2026-03-04", csat: 2 },
  { ticket_id: "T-2", subject: "Router offline", body: "The router drops wifi every night.", opened: "2026-03-05" },
  { ticket_id: "T-3", subject: "Lock battery", body: "The lock battery drains in a week.", csat: 4 },
];

const body = (rows: object[]) => Readable.from([Buffer.from(JSON.stringify(rows))]);

for (const variant of databaseVariants) {
  describe.skipIf(variant.skip)(`lexical index on ${variant.name}`, () => {
    let teardown: () => Promise<void>;
    let admin: TestUser;
    let productId: string;
    const domain = uniqueDomain("lexical");
    const ref = { domain, name: "tickets" };

    const vocabulary = async () =>
      Object.fromEntries(
        (await db().$queryRaw<{ lexeme: string; df: number }[]>`SELECT lexeme, df FROM lexical_vocabulary WHERE product_id = ${productId}::uuid`).map(
          (row) => [row.lexeme, row.df],
        ),
      );
    const stats = async () =>
      (await db().$queryRaw<{ documents: number; total_length: bigint }[]>`SELECT documents, total_length FROM lexical_stats WHERE product_id = ${productId}::uuid`)[0]!;
    const bm25 = (lexemes: string[], perLexeme = 100) =>
      db().$queryRaw<{ key: string; score: number }[]>`
        SELECT * FROM bm25_records(${productId}::uuid, ${lexemes}::text[], ${lexemes.map(() => 1)}::float8[], 10, ${perLexeme}::int)`;

    beforeAll(async () => {
      teardown = await variant.start();
      admin = await createTestUser({ role: "admin" });
      await insertDomain({ name: domain, description: "Lexical test" });
      const product = await registerProduct(
        admin.actor,
        productInputSchema.parse({ ...ref, title: "Support Tickets", description: "Customer support tickets.", owner: "support@example.com", schema, sla: { eventTimeField: "opened" } }),
      );
      productId = product.id;
      expect(await loadRecords(admin.actor, ref, body(TICKETS), "application/json")).toMatchObject({ accepted: 3, rejectedTotal: 0 });
    });
    afterAll(async () => teardown?.());

    it("indexes the key and every string field of each record, not dates or numbers, without stop words", async () => {
      const words = await vocabulary();
      expect(words).toMatchObject({ refund: 1, router: 2, lock: 1, "-1": 1, "-2": 1 });
      expect(Object.keys(words)).not.toContain("the");
      expect(Object.keys(words)).not.toContain("2026");
      expect(await stats()).toMatchObject({ documents: 3 });
      const [metadata] = await db().$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM lexical_metadata WHERE product_id = ${productId}::uuid AND lexeme = 'customer'`;
      expect(Number(metadata!.count)).toBe(1);
    });

    it("replaces a changed record's terms and counts in the load's transaction, and leaves an unchanged one alone", async () => {
      const before = await stats();
      const changed = [{ ...TICKETS[0]!, body: "Returned the modem, money never arrived." }, TICKETS[1]!];
      expect(await loadRecords(admin.actor, ref, body(changed), "application/json")).toMatchObject({ accepted: 2 });
      const words = await vocabulary();
      expect(words.router).toBe(1);
      expect(words.modem).toBe(1);
      expect(words.refund).toBe(1); // still in T-1's subject
      const after = await stats();
      expect(after.documents).toBe(3);
      expect(Number(after.total_length)).toBe(Number(before.total_length));
      const [postings] = await db().$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM lexical_postings p, unnest(p.keys) AS k WHERE p.product_id = ${productId}::uuid AND k = 'T-1'`;
      const [lexemes] = await db().$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM unnest(lexical_vector('T-1' || E'\n' || 'Refund still missing' || E'\n' || 'Returned the modem, money never arrived.'))`;
      expect(Number(postings!.count)).toBe(Number(lexemes!.count));
    });

    it("rolls the lexical tables back with the records when a load fails", async () => {
      const before = await vocabulary();
      await expect(loadRecords(admin.actor, ref, Readable.from([Buffer.from('[{"ticket_id":"T-9","subject":"zebra crossing"},')]), "application/json")).rejects.toThrow();
      expect(await vocabulary()).toEqual(before);
    });

    it("scores BM25 in SQL: more matched terms rank higher, an exact id is found", async () => {
      const ranked = await bm25(["lock", "battery", "router"]);
      expect(ranked.map((row) => row.key)).toEqual(["T-3", "T-2"]);
      expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
      expect((await bm25(["-3"])).map((row) => row.key)).toEqual(["T-3"]);
      expect(await bm25(["unheard"])).toEqual([]);
    });

    it("reads at most per_lexeme postings of a lexeme, best impact first", async () => {
      await loadRecords(admin.actor, ref, body([{ ticket_id: "T-4", subject: "Router router router", body: "router" }]), "application/json");
      expect((await bm25(["router"], 1)).map((row) => row.key)).toEqual(["T-4"]);
      expect((await bm25(["router"])).map((row) => row.key)).toEqual(["T-4", "T-2"]);
    });

    it("scores the expanded query and the question's own lexemes in one pass, as bm25_records scores each", async () => {
      const question = ["router", "wifi", "unheard"];
      const expanded = ["router", "wifi", "unheard", "modem", "battery"];
      const weights = [1, 1, 1, 0.7, 0.55];
      const both = await db().$queryRaw<{ key: string; score: number; rank: number | null; plain_score: number | null; plain_rank: number | null }[]>`
        SELECT * FROM bm25_records_expanded(${productId}::uuid, ${expanded}::text[], ${weights}::float8[], ${question}::text[], 10)`;
      const ranking = (rows: typeof both, rank: "rank" | "plain_rank", score: "score" | "plain_score") =>
        rows.filter((row) => row[rank] !== null).sort((a, b) => a[rank]! - b[rank]!).map((row) => [row.key, row[score]!.toFixed(9)]);
      const separately = async (lexemes: string[], weighted: number[]) =>
        (await db().$queryRaw<{ key: string; score: number }[]>`
          SELECT * FROM bm25_records(${productId}::uuid, ${lexemes}::text[], ${weighted}::float8[], 10)`).map((row) => [row.key, row.score.toFixed(9)]);
      expect(ranking(both, "rank", "score")).toEqual(await separately(expanded, weights));
      expect(ranking(both, "plain_rank", "plain_score")).toEqual(await separately(question, [1, 1, 1]));
      expect(ranking(both, "rank", "score").length).toBeGreaterThan(ranking(both, "plain_rank", "plain_score").length);
    });

    it("keeps a lexeme in at most 8 chunks: a load that would add the 8th merges them, BM25 unchanged", async () => {
      const chunks = async () =>
        (await db().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM lexical_postings WHERE product_id = ${productId}::uuid AND lexeme = 'lock'`)[0]!.count;
      const before = (await bm25(["lock"])).map((row) => row.key);
      for (let i = 0; i < 8; i++) await loadRecords(admin.actor, ref, body([{ ticket_id: `K${i}`, subject: `Lock ${i}` }]), "application/json");
      expect(await chunks()).toBeLessThan(8);
      const after = (await bm25(["lock"])).map((row) => row.key);
      expect(after).toHaveLength(before.length + 8);
      expect(after).toEqual(expect.arrayContaining([...before, "K0", "K7"]));
      const [lock] = await db().$queryRaw<{ df: number }[]>`SELECT df FROM lexical_vocabulary WHERE product_id = ${productId}::uuid AND lexeme = 'lock'`;
      expect(lock!.df).toBe(before.length + 8);
    });

    it("counts a record staged twice in one load once, with its last text", async () => {
      const before = await stats();
      await db().$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE records SET data = jsonb_set(data, '{subject}', '"Zebra crossing"') WHERE product_id = ${productId}::uuid AND key = 'K0'`;
        await tx.$queryRaw`SELECT lexical_stage(${productId}::uuid, ARRAY['K0'])::int`;
        await tx.$executeRaw`UPDATE records SET data = jsonb_set(data, '{subject}', '"Yak shaving"') WHERE product_id = ${productId}::uuid AND key = 'K0'`;
        await tx.$queryRaw`SELECT lexical_stage(${productId}::uuid, ARRAY['K0'])::int`;
        await tx.$queryRaw`SELECT 1 FROM lexical_flush(${productId}::uuid)`;
      });
      const words = await vocabulary();
      expect(words.zebra).toBeUndefined();
      expect([words.yak, words.shaving]).toEqual([1, 1]);
      const after = await stats();
      expect(after.documents).toBe(before.documents);
      expect(Number(after.total_length)).toBe(Number(before.total_length)); // "Lock 0" → "Yak shaving": two terms each
      expect((await bm25(["yak"])).map((row) => row.key)).toEqual(["K0"]);
      expect((await bm25(["lock"])).map((row) => row.key)).not.toContain("K0");
    });

    it("ranks records by vector and expanded BM25, reports AI health, and finds the product by its records", async () => {
      await enableSemanticSearch(admin.actor, ref, { fields: ["subject", "body"] });
      for (let attempt = 0; (await semanticSearchStatus(admin.actor, ref)).status !== "ready"; attempt++) {
        if (attempt > 600) throw new Error("indexing did not finish");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { health } = await semanticSearchStatus(admin.actor, ref);
      expect(health).toMatchObject({ records: 12, embedded: 12, coverage: 1, lexical: 12, signals: ["vector", "bm25", "expanded-bm25"] });
      expect(health!.embeddedWords).toBe(health!.words);
      expect(health!.lastIndexedAt).not.toBeNull();

      const { results } = await querySemantic(admin.actor, ref, { question: "my money for the returned modem never came back", k: 3 });
      expect(results[0]!.key).toBe("T-1");
      expect(results[0]!.lexical).toBeGreaterThan(0);
      expect((await querySemantic(admin.actor, ref, { question: "T-3", k: 1 })).results[0]!.key).toBe("T-3");

      const { products } = await discover(admin.actor, { q: "router keeps dropping the wifi at night", k: 50 });
      const found = products.find((product) => product.domain === domain);
      expect(found?.reasons.some((reason) => reason.startsWith("record T-2 close in meaning"))).toBe(true);
      expect(found?.reasons.some((reason) => reason.startsWith("keywords in its records and metadata"))).toBe(true);
    }, 120_000);

    it("ranks the same with exact scans instead of HNSW (matchRecords' exact option, the benchmarks' ground truth)", async () => {
      const config = (await findSemanticSearch(productId))!;
      const question = "the router loses wifi at night";
      const embedding = await embedQuery(config.model, question);
      const words = await embedQuestionWords(config.model, question);
      const approximate = await matchRecords(productId, embedding, question, 5, { words, via: "sql" });
      expect(approximate.length).toBeGreaterThan(0);
      expect(await matchRecords(productId, embedding, question, 5, { words, via: "sql", exact: true })).toEqual(approximate);
      const vectorHits = (await matchRecords(productId, embedding, "", 12, { via: "sql", exact: true }))
        .filter((match) => match.vectorRank !== null)
        .sort((a, b) => a.vectorRank! - b.vectorRank!)
        .map((match) => match.key);
      expect(vectorHits).toEqual(await exactNearest(productId, embedding, config.dimensions, 12));
    });

    it("numbers match_records' BM25 ranks as bm25_records ranks all scored records, the first `candidates` of each", async () => {
      const config = (await findSemanticSearch(productId))!;
      const question = "router lock battery refund";
      const lexemes = (await db().$queryRaw<{ lexeme: string }[]>`SELECT lexeme FROM unnest(lexical_vector(${question}))`).map((row) => row.lexeme);
      const order = (await bm25(lexemes)).map((row) => row.key);
      expect(order.length).toBeGreaterThan(3);
      const candidates = 2;
      const matches = await matchRecords(productId, await embedQuery(config.model, question), question, 12, { candidates, via: "sql" });
      for (const rank of ["textRank", "expandedRank"] as const) {
        const ranked = matches.filter((match) => match[rank] !== null).sort((a, b) => a[rank]! - b[rank]!);
        expect(ranked.map((match) => [match.key, match[rank]])).toEqual(order.slice(0, candidates).map((key, i) => [key, i + 1]));
      }
    });

    it("takes purged records out of the index: postings, vocabulary and counts", async () => {
      const before = await stats();
      const [t1] = await db().$queryRaw<{ length: number }[]>`SELECT length FROM lexical_documents WHERE product_id = ${productId}::uuid AND key = 'T-1'`;
      // T-1 and T-2 were opened in March 2026, T-3 and T-4 have no date.
      const removed = await purgeRecords({ id: productId, ...ref }, new Date("2026-03-05T00:00:00Z"), admin.actor);
      expect(removed).toBe(1);
      const after = await stats();
      expect(after.documents).toBe(before.documents - 1);
      expect(Number(after.total_length)).toBe(Number(before.total_length) - t1!.length);
      const words = await vocabulary();
      expect(words.modem).toBeUndefined();
      expect(words.router).toBe(2);
      expect(await bm25(["modem", "-1"])).toEqual([]);
    });

    it("keeps each lexeme's head the best 100 of its postings through loads, replacements and purges", async () => {
      // The lexemes whose head differs from the best 100 of their chunks' postings (or that lack one, or have one too many).
      const headsOffChunks = async () =>
        (
          await db().$queryRaw<{ lexeme: string; head: string[] | null; best: string[] | null }[]>`
            SELECT coalesce(c.lexeme, h.lexeme) AS lexeme, h.keys AS head, c.best
            FROM (SELECT p.lexeme, (array_agg(u.key ORDER BY u.impact DESC, u.key))[1:100] AS best
                  FROM lexical_postings p, unnest(p.keys, p.impacts) AS u(key, impact)
                  WHERE p.product_id = ${productId}::uuid GROUP BY p.lexeme) c
            FULL JOIN (SELECT lexeme, keys FROM lexical_heads WHERE product_id = ${productId}::uuid) h ON h.lexeme = c.lexeme`
        ).filter((row) => JSON.stringify(row.head) !== JSON.stringify(row.best));
      const head = async (lexeme: string) =>
        (await db().$queryRaw<{ keys: string[] }[]>`SELECT keys FROM lexical_heads WHERE product_id = ${productId}::uuid AND lexeme = ${lexeme}`)[0]?.keys ?? [];
      // 150 records with "hedge" 1–4 times: the more often, the higher its impact.
      const hedges = Array.from({ length: 150 }, (_, i) => ({
        ticket_id: `H-${i}`,
        subject: Array.from({ length: 1 + (i % 4) }, () => "hedge").join(" "),
        body: "trimmed",
        opened: i % 4 === 3 ? "2025-01-01" : "2026-06-01",
      }));
      await loadRecords(admin.actor, ref, body(hedges), "application/json");
      expect(await head("hedge")).toHaveLength(100);
      expect((await head("hedge")).slice(0, 37).every((key) => Number(key.slice(2)) % 4 === 3)).toBe(true);
      expect(await headsOffChunks()).toEqual([]);

      // The next best leave "hedge" by replacement, the best by a purge: the head refills from the chunks.
      const replaced = hedges.filter((_, i) => i % 4 === 2).map((row) => ({ ...row, subject: "pruned" }));
      expect(await loadRecords(admin.actor, ref, body(replaced), "application/json")).toMatchObject({ accepted: 37 });
      expect(await headsOffChunks()).toEqual([]);
      expect(await purgeRecords({ id: productId, ...ref }, new Date("2025-06-01T00:00:00Z"), admin.actor)).toBe(37);
      expect(await headsOffChunks()).toEqual([]);
      expect(await head("hedge")).toHaveLength(76);
      expect(await head("trimmed")).toHaveLength(100);
      expect((await bm25(["hedge"])).map((row) => Number(row.key.slice(2)) % 4)).toEqual(Array(10).fill(1));
    });
  });
}
