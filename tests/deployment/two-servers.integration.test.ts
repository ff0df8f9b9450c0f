import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { withConnection } from "@/lib/db/connection";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/net/free-port";

/**
 * Two `npm start` servers on one Postgres (README "Several servers, one
 * database"): a session made on one is valid on the other, sign-in failures
 * count across both, a product is indexed by one of them, every record
 * embedded exactly once, with the same progress on both, and when the
 * indexing server is killed (SIGKILL) the other takes the job over once its
 * lease expired and finishes it.
 *
 * Runs on the built app (`npm run build`; `npm test` builds before the
 * integration tests) and the server of TEST_DATABASE_URL, in a database of
 * its own that it creates and drops. Every write to record_embeddings is
 * logged by a trigger the test installs, so a record embedded twice shows.
 */

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
const LEASE_SECONDS = 2;
const ADMIN = { email: "admin@two-servers.test", password: "two-servers-pass" };
const FAILURES_PER_ACCOUNT = 3;

interface Server {
  port: number;
  base: string;
  process: ChildProcess;
  output: string[];
  exited: Promise<unknown>;
}



async function startServer(databaseUrl: string, secret: string, dataDir: string): Promise<Server> {
  const port = await freePort();
  const output: string[] = [];
  // Its own process group: killing the group kills npm, the launcher and the Next.js server at once.
  const child = spawn("npm", ["start"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      BETTER_AUTH_SECRET: secret,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SIGN_IN_FAILURES_PER_ACCOUNT: String(FAILURES_PER_ACCOUNT),
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      EMBEDDING_WORKERS: "1",
      HEALTH_CHECK_INTERVAL_MINUTES: "0",
      NODE_ENV: "production",
    },
  });
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return { port, base: `http://127.0.0.1:${port}`, process: child, output, exited };
}

async function ready(server: Server): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) break;
    const ok = await fetch(`${server.base}/api/openapi.json`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server on port ${server.port} did not start:\n${server.output.join("").slice(-4000)}`);
}

function kill(server: Server, signal: NodeJS.Signals): Promise<unknown> {
  if (server.process.exitCode === null && server.process.signalCode === null) {
    try {
      process.kill(-server.process.pid!, signal);
    } catch {
      // Already gone.
    }
  }
  return server.exited;
}

describe.skipIf(!TEST_DATABASE_URL)("two servers on one Postgres", () => {
  const secret = randomBytes(32).toString("base64url");
  const name = `two_servers_${randomBytes(4).toString("hex")}`;
  let databaseUrl = "";
  let dataDir = "";
  let servers: Server[] = [];
  let cookie = "";

  const call = (server: Server, pathname: string, init: RequestInit = {}) =>
    fetch(`${server.base}${pathname}`, {
      ...init,
      headers: { "content-type": "application/json", origin: server.base, ...(cookie ? { cookie } : {}), ...init.headers },
    });
  const json = async <T>(response: Promise<Response>, status: number): Promise<T> => {
    const result = await response;
    const body = await result.text();
    expect(result.status, body).toBe(status);
    return (body ? JSON.parse(body) : null) as T;
  };
  const sql = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => withConnection(databaseUrl, async (client) => (await client.query<T>(text, values)).rows);

  type Status = { status: string | null; indexed: number; total: number };
  const status = async (server: Server, product: string) => json<Status>(call(server, `/api/products/tsv/${product}/capabilities/semantic-search`), 200);
  const holder = async (productId: string) => (await sql<{ owner: string }>(`SELECT owner FROM job_leases WHERE kind = 'indexing' AND key = $1`, [productId]))[0]?.owner ?? null;
  const serverOf = (owner: string) => servers.find((server) => owner.includes(`:${server.port} `));
  /** Per record of the product: how often its embedding was written. */
  const writes = async (productId: string) =>
    sql<{ key: string; writes: number }>(`SELECT key, count(*)::int AS writes FROM embedding_writes WHERE product_id = $1 GROUP BY key`, [productId]);

  const tickets = (count: number, from = 0) =>
    Array.from({ length: count }, (_, n) => {
      const i = from + n;
      return { id: `r${String(i).padStart(4, "0")}`, text: `Ticket ${i}: the ${["printer", "router", "laptop", "badge reader"][i % 4]} on floor ${i % 9} fails after the update, reported by team ${i % 13}` };
    });

  async function createProduct(product: string, count: number): Promise<string> {
    await json(
      call(servers[0]!, "/api/products", {
        method: "POST",
        body: JSON.stringify({
          domain: "tsv",
          name: product,
          title: `Two servers ${product}`,
          owner: ADMIN.email,
          schema: { primaryKey: "id", fields: [{ name: "id", type: "string", required: true }, { name: "text", type: "string" }] },
        }),
      }),
      201,
    );
    await json(call(servers[0]!, `/api/products/tsv/${product}/records`, { method: "POST", body: JSON.stringify(tickets(count)) }), 200);
    const [row] = await sql<{ id: string }>(`SELECT id FROM products WHERE domain = 'tsv' AND name = $1`, [product]);
    return row!.id;
  }

  const enable = (server: Server, product: string) =>
    json<Status>(call(server, `/api/products/tsv/${product}/capabilities/semantic-search`, { method: "PUT", body: JSON.stringify({ fields: ["text"] }) }), 202);

  beforeAll(async () => {
    if (!existsSync(path.join(".next", "BUILD_ID"))) throw new Error("The two-server test runs the built app: run `npm run build` first");
    const base = new URL(TEST_DATABASE_URL!);
    await withConnection(TEST_DATABASE_URL!, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
    base.pathname = `/${name}`;
    databaseUrl = base.toString();
    await withConnection(databaseUrl, (client) => client.query("CREATE EXTENSION IF NOT EXISTS vector"));
    dataDir = await mkdtemp(path.join(tmpdir(), "mesh-portal-two-servers-"));
    // Started together: both migrate (one waits for the other's lock) and race to create the first admin.
    servers = await Promise.all([startServer(databaseUrl, secret, path.join(dataDir, "a")), startServer(databaseUrl, secret, path.join(dataDir, "b"))]);
    await Promise.all(servers.map(ready));
    // Logs every write of an embedding: a record embedded twice (by both servers, or again after a take-over) shows.
    await sql(`
      CREATE TABLE embedding_writes (product_id uuid NOT NULL, key text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
      CREATE FUNCTION log_embedding_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO embedding_writes (product_id, key) VALUES (NEW.product_id, NEW.key); RETURN NEW; END $$;
      CREATE TRIGGER log_embedding_write AFTER INSERT OR UPDATE ON record_embeddings FOR EACH ROW EXECUTE FUNCTION log_embedding_write();`);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => kill(server, "SIGTERM")));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (databaseUrl) await withConnection(TEST_DATABASE_URL!, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
  }, 60_000);

  it("shares sessions, the first admin and the sign-in failure count between the servers", async () => {
    const [a, b] = servers as [Server, Server];
    expect(await sql(`SELECT email FROM users`)).toEqual([{ email: ADMIN.email }]);
    const signIn = await call(a, "/api/auth/sign-in/email", { method: "POST", body: JSON.stringify(ADMIN) });
    expect(signIn.status).toBe(200);
    cookie = signIn.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
    // Signed on A, valid on B: the session is in the database and both sign with the same secret.
    expect((await json<{ user: { email: string } }>(call(b, "/api/auth/get-session"), 200)).user.email).toBe(ADMIN.email);
    await json(call(b, "/api/domains", { method: "POST", body: JSON.stringify({ name: "tsv" }) }), 201);

    // Failures on A and on B count together: the account is locked on both (the right password too).
    const attempt = (server: Server, password: string) =>
      fetch(`${server.base}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: server.base }, body: JSON.stringify({ email: ADMIN.email, password }) });
    expect((await attempt(a, "wrong-password-1")).status).toBe(401);
    expect((await attempt(b, "wrong-password-2")).status).toBe(401);
    expect((await attempt(a, "wrong-password-3")).status).toBe(401);
    expect((await attempt(b, ADMIN.password)).status).toBe(429);
  });

  it("indexes a product on one server, every record once, with the same progress on both, records loaded meanwhile on the other too", async () => {
    let total = 320;
    const productId = await createProduct("tickets", total);
    expect((await enable(servers[0]!, "tickets")).status).toBe("indexing");

    // Each server's view between two of the other's: progress on one is progress on the other.
    const seen: { before: Status; other: Status; after: Status }[] = [];
    let loadedMore = false;
    for (let round = 0; ; round++) {
      const [a, b] = (round % 2 ? [servers[1], servers[0]] : [servers[0], servers[1]]) as [Server, Server];
      const before = await status(a, "tickets");
      const other = await status(b, "tickets");
      const after = await status(a, "tickets");
      seen.push({ before, other, after });
      if (before.status === "ready") break;
      expect(before.status, JSON.stringify(seen.at(-1))).toBe("indexing");
      expect(seen.length).toBeLessThan(2000);
      if (!loadedMore && before.indexed > 0) {
        // Mid-job, records arrive through the other server: its request for indexing goes to the job that runs.
        await json(call(servers[1]!, "/api/products/tsv/tickets/records", { method: "POST", body: JSON.stringify(tickets(64, total)) }), 200);
        total += 64;
        loadedMore = true;
      }
    }
    expect(loadedMore).toBe(true);
    for (const { before, other, after } of seen) {
      expect(other.indexed).toBeGreaterThanOrEqual(before.indexed);
      expect(other.indexed).toBeLessThanOrEqual(after.indexed);
    }
    expect(seen.some(({ other }) => other.status === "indexing" && other.indexed > 0 && other.indexed < other.total), "progress seen mid-job").toBe(true);
    for (const server of servers) expect(await status(server, "tickets")).toMatchObject({ status: "ready", indexed: total, total });

    const written = await writes(productId);
    expect(written).toHaveLength(total);
    expect(written.filter((row) => row.writes !== 1)).toEqual([]);
    expect(await holder(productId)).toBeNull();
  });

  it("finishes the indexing on the other server when the indexing one is killed", async () => {
    const total = 640;
    const productId = await createProduct("incidents", total);
    await enable(servers[1]!, "incidents");
    let owner: string | null = null;
    for (let polls = 0; ; polls++) {
      owner ??= await holder(productId);
      const { indexed } = await status(servers[0]!, "incidents");
      if (owner && indexed > 0) {
        expect(indexed, "killed mid-job").toBeLessThan(total);
        break;
      }
      expect(polls).toBeLessThan(1200);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const dead = serverOf(owner)!;
    const survivor = servers.find((server) => server !== dead)!;
    await kill(dead, "SIGKILL");
    const killedAt = (await status(survivor, "incidents")).indexed;
    expect(killedAt).toBeLessThan(total);

    await expect.poll(() => status(survivor, "incidents"), { timeout: 90_000, interval: 250 }).toMatchObject({ status: "ready", indexed: total, total });
    const written = await writes(productId);
    expect(written).toHaveLength(total);
    expect(written.filter((row) => row.writes !== 1)).toEqual([]);
    const [{ count }] = (await sql<{ count: number }>(`SELECT count(*)::int AS count FROM record_embeddings WHERE product_id = $1`, [productId])) as [{ count: number }];
    expect(count).toBe(total);
  });
});
