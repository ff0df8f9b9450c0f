import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseVariants, RUN } from "@/tests/helpers/databases";
import { db } from "./client";
import { claimJob, finishJob, releaseJob, renewJob, type LeaseRef } from "./jobs";

/** Job leases: one holder per job among servers, take-over after expiry, requests that reach the holder. */
for (const variant of databaseVariants) {
  describe.skipIf(variant.skip)(`job leases on ${variant.name}`, () => {
    let stop: () => Promise<void> = async () => undefined;
    beforeAll(async () => {
      stop = await variant.start();
    });
    afterAll(async () => {
      await db().$executeRaw`DELETE FROM job_leases WHERE key LIKE ${`%${RUN}%`}`;
      await stop();
    });

    let n = 0;
    const job = () => `product-${RUN}-${++n}`;
    const as = (key: string, owner: string): LeaseRef => ({ kind: "indexing", key, owner });
    const expire = (key: string) => db().$executeRaw`UPDATE job_leases SET expires_at = now() - interval '1 second' WHERE key = ${key}`;
    const row = async (key: string) => (await db().jobLease.findUnique({ where: { kind_key: { kind: "indexing", key } } })) ?? null;

    it.skipIf(variant.skip)("gives a job to one of many concurrent claimants, and flags the others' requests", async () => {
      const key = job();
      const outcomes = await Promise.all(["a", "b", "c", "d"].map((owner) => claimJob(as(key, owner), 30)));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const holder = ["a", "b", "c", "d"][outcomes.indexOf(true)]!;
      expect((await row(key))?.owner).toBe(holder);
      expect((await row(key))?.again).toBe(true);
    });

    it.skipIf(variant.skip)("ends a job once, or once more when a request came meanwhile", async () => {
      const key = job();
      expect(await claimJob(as(key, "a"), 30)).toBe(true);
      expect(await claimJob(as(key, "b"), 30)).toBe(false);
      expect(await finishJob(as(key, "a"), 30)).toBe("again");
      expect((await row(key))?.again).toBe(false);
      expect(await finishJob(as(key, "a"), 30)).toBe("done");
      expect(await row(key)).toBeNull();
      expect(await claimJob(as(key, "b"), 30)).toBe(true);
    });

    it.skipIf(variant.skip)("lets another server take over an expired lease; the old holder then finds it lost", async () => {
      const key = job();
      expect(await claimJob(as(key, "a"), 30)).toBe(true);
      expect(await renewJob(as(key, "a"), 30)).toBe(true);
      await expire(key);
      expect(await claimJob(as(key, "b"), 30)).toBe(true);
      expect((await row(key))?.again).toBe(false);
      expect(await renewJob(as(key, "a"), 30)).toBe(false);
      expect(await finishJob(as(key, "a"), 30)).toBe("lost");
      await releaseJob(as(key, "a"));
      expect((await row(key))?.owner).toBe("b");
      // A renewed lease is live again: no one else takes it.
      expect(await renewJob(as(key, "b"), 30)).toBe(true);
      expect(await claimJob(as(key, "a"), 30)).toBe(false);
    });
  });
}
