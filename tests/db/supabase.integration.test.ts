import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { externalPostgres, uniqueDomain } from "@/tests/helpers/databases";
import { createTestUser } from "@/tests/helpers/users";
import { embedQuery } from "@/lib/ai/query-embedding";
import { registerProduct } from "@/lib/services/products";
import { loadRecords } from "@/lib/services/records";
import { enableSemanticSearch } from "@/lib/services/semantic-search";
import { productInputSchema } from "@/lib/validation/product";
import { db } from "@/lib/db/client";
import { matchRecords } from "@/lib/db/retrieval";
import { findSemanticSearch } from "@/lib/db/semantic-search";

/**
 * On Supabase, `match_records` can be called through supabase-js `rpc()`.
 * Needs a Supabase project: SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY, and its
 * Postgres as TEST_DATABASE_URL. Without them the suite is reported as skipped.
 */

const configured = Boolean(process.env.SUPABASE_URL && process.env.SUPABASE_SERVICE_ROLE_KEY && process.env.TEST_DATABASE_URL);

describe.skipIf(!configured)(
  configured
    ? "match_records through supabase-js rpc() (Supabase)"
    : "match_records through supabase-js rpc() (skipped: SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY and TEST_DATABASE_URL are not all set)",
  () => {
    let teardown: () => Promise<void>;
    beforeAll(async () => {
      teardown = await externalPostgres.start();
    });
    afterAll(async () => teardown?.());

    it("answers like the SQL path", async () => {
      const admin = await createTestUser({ role: "admin" });
      const domain = uniqueDomain("supabase");
      await db().domain.create({ data: { name: domain } });
      const product = await registerProduct(
        admin.actor,
        productInputSchema.parse({
          domain,
          name: "notes",
          title: "Notes",
          owner: "notes@example.com",
          schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }, { name: "text", type: "string" }] },
        }),
      );
      const rows = [
        { id: "a", text: "Refund for a broken thermostat" },
        { id: "b", text: "Doorbell will not pair with the app" },
        { id: "c", text: "Invoice sent to the wrong address" },
      ];
      await loadRecords(admin.actor, product, [Buffer.from(JSON.stringify(rows))], "application/json");
      await enableSemanticSearch(admin.actor, product, { fields: ["text"] });
      while ((await findSemanticSearch(product.id))?.status !== "ready") await new Promise((resolve) => setTimeout(resolve, 100));

      const question = "money back for a heating controller";
      const embedding = await embedQuery("local/use-lite", question);
      const viaSql = await matchRecords(product.id, embedding, question, 3, { via: "sql" });
      const viaRpc = await matchRecords(product.id, embedding, question, 3, { via: "rpc" });
      expect(viaRpc.map((match) => match.key)).toEqual(viaSql.map((match) => match.key));
      expect(viaRpc[0]!.key).toBe("a");
    });
  },
);
