import { describe, expect, it } from "vitest";
import {
  approvedDays,
  canDecideAccess,
  canReadRecords,
  decisionProblem,
  grantExpiry,
  grantState,
  isGrantCurrent,
  requestProblem,
  unreadableIds,
  type AccessTarget,
} from "./access";
import type { Principal } from "./permissions";

const analyst: Principal & { id: string } = { id: "u-analyst", role: "member", domains: [] };
const owner: Principal & { id: string } = { id: "u-owner", role: "member", domains: ["hr"] };
const otherOwner: Principal & { id: string } = { id: "u-other", role: "member", domains: ["sales"] };
const admin: Principal & { id: string } = { id: "u-admin", role: "admin", domains: [] };

const salaries: AccessTarget = { id: "p-salaries", domain: "hr", visibility: "restricted" };
const handbook: AccessTarget = { id: "p-handbook", domain: "hr", visibility: "public" };
const none = new Set<string>();

describe("canReadRecords", () => {
  it("lets every reader, visitors too, read a public product's records", () => {
    for (const reader of [analyst, owner, otherOwner, admin, null]) expect(canReadRecords(reader, handbook, none)).toBe(true);
  });

  it("lets only the domain's owners, admins and grantees read a restricted product's records", () => {
    expect(canReadRecords(owner, salaries, none)).toBe(true);
    expect(canReadRecords(admin, salaries, none)).toBe(true);
    expect(canReadRecords(analyst, salaries, none)).toBe(false);
    expect(canReadRecords(otherOwner, salaries, none)).toBe(false);
    expect(canReadRecords(null, salaries, none)).toBe(false);
    expect(canReadRecords(analyst, salaries, new Set(["p-salaries"]))).toBe(true);
    // A grant of another product does not count.
    expect(canReadRecords(analyst, salaries, new Set(["p-handbook"]))).toBe(false);
  });

  it("treats any visibility but public as restricted", () => {
    expect(canReadRecords(analyst, { ...salaries, visibility: undefined as unknown as "public" }, none)).toBe(false);
  });

  it("names the restricted products a reader may not read", () => {
    const payroll: AccessTarget = { id: "p-payroll", domain: "sales", visibility: "restricted" };
    expect(unreadableIds(analyst, [salaries, payroll], new Set(["p-payroll"]))).toEqual(new Set(["p-salaries"]));
    expect(unreadableIds(otherOwner, [salaries, payroll], none)).toEqual(new Set(["p-salaries"]));
    expect(unreadableIds(admin, [salaries, payroll], none)).toEqual(new Set());
    expect(unreadableIds(null, [salaries, payroll], none)).toEqual(new Set(["p-salaries", "p-payroll"]));
  });
});

describe("grants", () => {
  const now = new Date("2026-12-01T12:00:00Z");

  it("run for whole days from when they are given", () => {
    expect(grantExpiry(now, 30).toISOString()).toBe("2026-12-31T12:00:00.000Z");
  });

  it("are active until they expire or are revoked", () => {
    expect(grantState({ expiresAt: new Date("2026-12-01T12:00:01Z"), revokedAt: null }, now)).toBe("active");
    expect(grantState({ expiresAt: now, revokedAt: null }, now)).toBe("expired");
    expect(grantState({ expiresAt: new Date("2027-01-01T00:00:00Z"), revokedAt: new Date("2026-11-30T00:00:00Z") }, now)).toBe("revoked");
    expect(isGrantCurrent({ expiresAt: new Date("2027-01-01T00:00:00Z"), revokedAt: null }, now)).toBe(true);
    expect(isGrantCurrent({ expiresAt: new Date("2026-11-01T00:00:00Z"), revokedAt: null }, now)).toBe(false);
  });

  it("last as long as asked, or shorter when the approver says so, never longer", () => {
    expect(approvedDays(90, undefined)).toBe(90);
    expect(approvedDays(90, 30)).toBe(30);
    expect(approvedDays(90, 90)).toBe(90);
    expect(approvedDays(30, 90)).toEqual(expect.objectContaining({ code: "validation" }));
  });
});

describe("access requests", () => {
  it("are asked for restricted products the user cannot read yet, one pending at a time", () => {
    expect(requestProblem(analyst, salaries, { granted: none, pending: false })).toBeNull();
    expect(requestProblem(analyst, handbook, { granted: none, pending: false })?.code).toBe("conflict");
    expect(requestProblem(owner, salaries, { granted: none, pending: false })?.code).toBe("conflict");
    expect(requestProblem(analyst, salaries, { granted: new Set(["p-salaries"]), pending: false })?.code).toBe("conflict");
    expect(requestProblem(analyst, salaries, { granted: none, pending: true })?.code).toBe("conflict");
  });

  it("are decided by the domain's owners and admins only, never by the requester, and once", () => {
    const pending = { requesterId: analyst.id, status: "pending" as const, domain: "hr" };
    expect(canDecideAccess(owner, "hr")).toBe(true);
    expect(canDecideAccess(admin, "hr")).toBe(true);
    expect(canDecideAccess(otherOwner, "hr")).toBe(false);
    expect(decisionProblem(owner, pending)).toBeNull();
    expect(decisionProblem(admin, pending)).toBeNull();
    expect(decisionProblem(analyst, pending)?.code).toBe("forbidden");
    expect(decisionProblem(otherOwner, pending)?.code).toBe("forbidden");
    // An owner who asked (before owning the domain, say) still cannot approve their own request.
    expect(decisionProblem(owner, { ...pending, requesterId: owner.id })).toEqual({ code: "forbidden", message: "You cannot decide your own access request" });
    expect(decisionProblem(owner, { ...pending, status: "approved" })?.code).toBe("conflict");
    expect(decisionProblem(owner, { ...pending, status: "denied" })?.code).toBe("conflict");
  });
});
