import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase } from "@/tests/helpers/users";
import { db } from "../db/client";
import { claimJob } from "../db/jobs";
import { resetEnvCache } from "../env";
import { JobRegistry, type Job } from "./jobs";

/** The job registry over its database leases: one job per key among servers, rounds on request, take-over, lost leases. */
describe("JobRegistry", () => {
  let stop: () => Promise<void>;
  beforeAll(async () => {
    process.env.JOB_LEASE_SECONDS = "1";
    resetEnvCache();
    stop = await startTestDatabase();
  });
  afterAll(async () => {
    delete process.env.JOB_LEASE_SECONDS;
    resetEnvCache();
    await stop();
  });

  const jobs = new JobRegistry("indexing");
  const lease = (key: string) => db().jobLease.findUnique({ where: { kind_key: { kind: "indexing", key } } });
  const gate = () => {
    let open!: () => void;
    return { opened: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
  };

  it("runs a job once more when it is requested while it runs, then drops its lease", async () => {
    const first = gate();
    let rounds = 0;
    const work = async () => {
      rounds++;
      if (rounds === 1) await first.opened;
    };
    const done = jobs.request("busy", work);
    await expect.poll(() => lease("busy")).not.toBeNull();
    void jobs.request("busy", work);
    void jobs.request("busy", work);
    first.open();
    await done;
    expect(rounds).toBe(2);
    expect(await lease("busy")).toBeNull();
  });

  it("runs a job once more when another server requested it while it ran", async () => {
    const first = gate();
    let rounds = 0;
    const done = jobs.request("asked", async () => {
      rounds++;
      if (rounds === 1) await first.opened;
    });
    await expect.poll(() => lease("asked")).not.toBeNull();
    expect(await claimJob({ kind: "indexing", key: "asked", owner: "other server" }, 30)).toBe(false);
    first.open();
    await done;
    expect(rounds).toBe(2);
    expect(await lease("asked")).toBeNull();
  });

  it("leaves a job another server holds to it, asking it to look again, and takes it over once its lease expired", async () => {
    expect(await claimJob({ kind: "indexing", key: "elsewhere", owner: "other server" }, 30)).toBe(true);
    let rounds = 0;
    await jobs.request("elsewhere", async () => void rounds++);
    expect(rounds).toBe(0);
    expect(await lease("elsewhere")).toMatchObject({ owner: "other server", again: true });

    await db().$executeRaw`UPDATE job_leases SET expires_at = now() - interval '1 second' WHERE key = 'elsewhere'`;
    await jobs.request("elsewhere", async () => void rounds++);
    expect(rounds).toBe(1);
    expect(await lease("elsewhere")).toBeNull();
  });

  it("renews its lease while the job runs, and aborts the job when another server took it over", async () => {
    const signals: AbortSignal[] = [];
    const work = async (job: Job) => {
      signals.push(job.signal);
      await new Promise<void>((resolve) => job.signal.addEventListener("abort", () => resolve()));
    };
    const done = jobs.request("taken", work);
    await expect.poll(() => lease("taken")).not.toBeNull();
    const { expiresAt } = (await lease("taken"))!;
    await expect.poll(async () => (await lease("taken"))!.expiresAt.getTime(), { timeout: 3000 }).toBeGreaterThan(expiresAt.getTime());

    await db().$executeRaw`UPDATE job_leases SET owner = 'other server' WHERE key = 'taken'`;
    await done;
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(await lease("taken")).toMatchObject({ owner: "other server" });
  });
});
