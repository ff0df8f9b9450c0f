import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "../env";
import { AppError } from "../errors";
import { inSearchLane } from "./search-lane";

describe("inSearchLane", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("runs SEARCH_CONCURRENCY reads at once, queues SEARCH_QUEUE more and refuses the next with a 503 and Retry-After", async () => {
    vi.stubEnv("SEARCH_CONCURRENCY", "1");
    vi.stubEnv("SEARCH_QUEUE", "1");
    resetEnvCache();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const running = inSearchLane(async () => (await held, order.push("running")));
    const queued = inSearchLane(async () => order.push("queued"));
    const refused = await inSearchLane(async () => order.push("refused")).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 503, retryAfter: 5 });
    expect((refused as AppError).message).toMatch(/answering 2 questions/);
    release();
    await Promise.all([running, queued]);
    expect(order).toEqual(["running", "queued"]);
  });

  it("passes a read's own error through and frees its place", async () => {
    vi.stubEnv("SEARCH_CONCURRENCY", "1");
    vi.stubEnv("SEARCH_QUEUE", "0");
    resetEnvCache();
    await expect(inSearchLane(() => Promise.reject(new AppError("not_found", "No such product")))).rejects.toMatchObject({ status: 404 });
    expect(await inSearchLane(async () => "next")).toBe("next");
  });
});
