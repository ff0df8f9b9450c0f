import { describe, expect, it } from "vitest";
import { canChangeRole, canManageDomains, canRead, canRegisterProducts, canWriteProduct, writableDomains, type Principal } from "./permissions";

const admin: Principal = { role: "admin", domains: [] };
const owner: Principal = { role: "member", domains: ["payments", "customer-support"] };
const analyst: Principal = { role: "member", domains: [] };

describe("permission rules", () => {
  it("lets admins and the domain's owners write its products, nobody else", () => {
    expect(canWriteProduct(admin, "hr")).toBe(true);
    expect(canWriteProduct(owner, "payments")).toBe(true);
    expect(canWriteProduct(owner, "customer-support")).toBe(true);
    expect(canWriteProduct(owner, "hr")).toBe(false);
    expect(canWriteProduct(owner, "payment")).toBe(false);
    expect(canWriteProduct(analyst, "payments")).toBe(false);
  });

  it("lets admins and owners of any domain register products", () => {
    expect(canRegisterProducts(admin)).toBe(true);
    expect(canRegisterProducts(owner)).toBe(true);
    expect(canRegisterProducts(analyst)).toBe(false);
  });

  it("lists the domains a user may write", () => {
    const all = ["customer-support", "hr", "payments"];
    expect(writableDomains(admin, all)).toEqual(all);
    expect(writableDomains(owner, all)).toEqual(["customer-support", "payments"]);
    expect(writableDomains(analyst, all)).toEqual([]);
  });

  it("lets only admins manage domains", () => {
    expect(canManageDomains(admin)).toBe(true);
    expect(canManageDomains(owner)).toBe(false);
    expect(canManageDomains(analyst)).toBe(false);
  });

  it("lets visitors read only when reads are public", () => {
    expect(canRead(analyst, false)).toBe(true);
    expect(canRead(null, false)).toBe(false);
    expect(canRead(null, true)).toBe(true);
  });

  it("lets admins change roles, but not take away their own admin role", () => {
    expect(canChangeRole({ ...admin, id: "a" }, "b", "admin")).toBe(true);
    expect(canChangeRole({ ...admin, id: "a" }, "b", "member")).toBe(true);
    expect(canChangeRole({ ...admin, id: "a" }, "a", "member")).toBe(false);
    expect(canChangeRole({ ...owner, id: "o" }, "b", "admin")).toBe(false);
  });
});
