import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit";

describe("RateLimiter", () => {
  it("allows `limit` hits per window and refuses the next", () => {
    const limiter = new RateLimiter(3, 1000);
    expect([0, 10, 20, 30, 40].map((t) => limiter.allow("u", 1_000_000 + t))).toEqual([true, true, true, false, false]);
  });

  it("allows again once the oldest hits leave the window (sliding, refused hits not counted)", () => {
    const limiter = new RateLimiter(2, 1000);
    const t0 = 5_000_000;
    expect(limiter.allow("u", t0)).toBe(true);
    expect(limiter.allow("u", t0 + 500)).toBe(true);
    expect(limiter.allow("u", t0 + 999)).toBe(false);
    // The first hit is exactly one window old: it no longer counts.
    expect(limiter.allow("u", t0 + 1000)).toBe(true);
    expect(limiter.allow("u", t0 + 1001)).toBe(false);
    // Refused hits did not extend the window: at t0+1500 the second hit has left it.
    expect(limiter.allow("u", t0 + 1500)).toBe(true);
    expect(limiter.allow("u", t0 + 1500)).toBe(false);
  });

  it("counts keys independently", () => {
    const limiter = new RateLimiter(1, 60_000);
    expect(limiter.allow("alice", 1)).toBe(true);
    expect(limiter.allow("alice", 2)).toBe(false);
    expect(limiter.allow("bob", 3)).toBe(true);
    expect(limiter.allow("bob", 4)).toBe(false);
    expect(limiter.allow("carol", 5)).toBe(true);
  });

  it("keeps limiting after pruning many idle keys", () => {
    const limiter = new RateLimiter(1, 100);
    expect(limiter.allow("busy", 1000)).toBe(true);
    for (let i = 0; i < 10_001; i++) limiter.allow(`idle-${i}`, 0);
    expect(limiter.allow("busy", 1050)).toBe(false);
    expect(limiter.allow("idle-1", 1050)).toBe(true);
  });
});
