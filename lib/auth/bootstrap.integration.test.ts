import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { resetEnvCache } from "../env";
import { ensureFirstAdmin } from "./bootstrap";
import { ensureAuthSecret, SECRET_FILE } from "./secret";
import { startTestDatabase } from "@/tests/helpers/users";

describe("ensureAuthSecret", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mesh-portal-secret-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("generates a random secret once, readable by the owner only, and keeps it", async () => {
    const first = ensureAuthSecret(dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect((await stat(path.join(dir, SECRET_FILE))).mode & 0o777).toBe(0o600);
    expect(ensureAuthSecret(dir)).toBe(first);
    const other = await mkdtemp(path.join(tmpdir(), "mesh-portal-secret-"));
    expect(ensureAuthSecret(other)).not.toBe(first);
    await rm(other, { recursive: true, force: true });
  });

  it("refuses a secret file that holds too little", async () => {
    const short = await mkdtemp(path.join(tmpdir(), "mesh-portal-secret-"));
    await writeFile(path.join(short, SECRET_FILE), "short");
    expect(() => ensureAuthSecret(short)).toThrow(/no usable secret/);
    expect(await readFile(path.join(short, SECRET_FILE), "utf8")).toBe("short");
    await rm(short, { recursive: true, force: true });
  });
});

describe("ensureFirstAdmin", () => {
  let stop: () => Promise<void>;
  beforeAll(async () => {
    stop = await startTestDatabase();
  });
  afterAll(async () => {
    await stop();
  });
  afterEach(() => {
    delete process.env.ADMIN_EMAIL;
    delete process.env.ADMIN_PASSWORD;
    resetEnvCache();
  });

  it("does nothing without ADMIN_EMAIL", async () => {
    expect(await ensureFirstAdmin()).toBeUndefined();
    expect(await db().user.count()).toBe(0);
  });

  it("creates the admin from ADMIN_EMAIL and ADMIN_PASSWORD when no user exists, and only then", async () => {
    process.env.ADMIN_EMAIL = "Root@Example.com";
    process.env.ADMIN_PASSWORD = "correct horse battery";
    resetEnvCache();
    expect(await ensureFirstAdmin()).toBe("root@example.com");
    const admin = await db().user.findUniqueOrThrow({ where: { email: "root@example.com" }, include: { accounts: true } });
    expect(admin.role).toBe("admin");
    expect(admin.accounts[0]!.password).not.toContain("correct horse");

    process.env.ADMIN_EMAIL = "second@example.com";
    resetEnvCache();
    expect(await ensureFirstAdmin()).toBeUndefined();
    expect(await db().user.count()).toBe(1);
  });
});
