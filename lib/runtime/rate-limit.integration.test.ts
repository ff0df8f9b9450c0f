import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase } from "@/tests/helpers/users";
import { db } from "../db/client";
import { takeRateLimit } from "./rate-limit";

describe("takeRateLimit (database-backed)", () => {
  let stop: () => Promise<void>;
  beforeAll(async () => {
    stop = await startTestDatabase();
  });
  afterAll(async () => stop());

  const rule = { window: 1, max: 3 };
  const t0 = 5_000_000;

  it("allows `max` hits per window and refuses the next, saying when to retry", async () => {
    const decisions = [];
    for (const t of [0, 10, 20, 30, 40]) decisions.push(await takeRateLimit("u", rule, t0 + t));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions[4]!.retryAfter).toBe(1);
  });

  it("opens a new window once the first hit is a window old; refused hits were not counted", async () => {
    expect((await takeRateLimit("u", rule, t0 + 999)).allowed).toBe(false);
    expect((await takeRateLimit("u", rule, t0 + 1000)).allowed).toBe(true);
    expect((await takeRateLimit("u", rule, t0 + 1001)).allowed).toBe(true);
    expect((await takeRateLimit("u", rule, t0 + 1002)).allowed).toBe(true);
    expect((await takeRateLimit("u", rule, t0 + 1003)).allowed).toBe(false);
  });

  it("counts without limiting when max is Number.MAX_SAFE_INTEGER (failed sign-ins are counted that way)", async () => {
    for (let i = 0; i < 3; i++) expect((await takeRateLimit("unbounded", { window: 60, max: Number.MAX_SAFE_INTEGER }, t0 + i)).allowed).toBe(true);
  });

  it("counts keys independently, and concurrent hits exactly", async () => {
    expect((await takeRateLimit("alice", { window: 60, max: 1 }, t0)).allowed).toBe(true);
    expect((await takeRateLimit("alice", { window: 60, max: 1 }, t0 + 1)).allowed).toBe(false);
    expect((await takeRateLimit("bob", { window: 60, max: 1 }, t0 + 2)).allowed).toBe(true);
    const burst = await Promise.all(Array.from({ length: 12 }, () => takeRateLimit("burst", { window: 60, max: 5 }, t0)));
    expect(burst.filter((decision) => decision.allowed)).toHaveLength(5);
  });

  it("deletes rows idle for an hour when a window starts", async () => {
    await takeRateLimit("old", rule, t0);
    await takeRateLimit("fresh", rule, t0 + 2 * 3_600_000);
    expect(await db().rateLimit.count({ where: { key: "old" } })).toBe(0);
    expect(await db().rateLimit.count({ where: { key: "fresh" } })).toBe(1);
  });
});
