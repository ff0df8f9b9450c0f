import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReport, parseLoadArgs, sendFile, UsageError } from "./load-records";

describe("parseLoadArgs", () => {
  it("reads the product, the file and the URL, with the content type from the extension", () => {
    expect(parseLoadArgs(["sales/orders", "data/orders.csv"])).toEqual({
      domain: "sales",
      name: "orders",
      file: "data/orders.csv",
      url: "http://localhost:3000",
      contentType: "text/csv",
    });
    expect(parseLoadArgs(["--url", "https://mesh.example.com/", "sales/orders", "a.ndjson"])).toMatchObject({
      url: "https://mesh.example.com",
      contentType: "application/x-ndjson",
    });
    expect(parseLoadArgs(["sales/orders", "a.JSONL", "--url=http://127.0.0.1:3400"])).toMatchObject({
      url: "http://127.0.0.1:3400",
      contentType: "application/x-ndjson",
    });
    expect(parseLoadArgs(["sales/orders", "a.json"]).contentType).toBe("application/json");
  });

  it("refuses what it cannot use, explaining why", () => {
    const usage = (argv: string[]) => {
      try {
        parseLoadArgs(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error("expected a usage error");
    };
    expect(usage([])).toBe("Give the product as <domain>/<name> and one file");
    expect(usage(["sales/orders", "a.csv", "b.csv"])).toBe("Give the product as <domain>/<name> and one file");
    expect(usage(["orders", "a.csv"])).toMatch(/^The product must be <domain>\/<name>/);
    expect(usage(["sales/orders", "a.xlsx"])).toMatch(/^Cannot tell the format of a.xlsx/);
    expect(usage(["sales/orders", "a.csv", "--url"])).toBe("--url needs a value");
    expect(usage(["sales/orders", "a.csv", "--url", "localhost:3000"])).toMatch(/^--url must be an http\(s\) URL/);
    expect(usage(["sales/orders", "a.csv", "--verbose"])).toBe("Unknown option --verbose");
  });
});

describe("formatReport", () => {
  const args = parseLoadArgs(["sales/orders", "/tmp/orders.csv"]);

  it("prints the counts and the first rejected rows, one line per problem", () => {
    const rejected = Array.from({ length: 12 }, (_, index) => ({
      index,
      ...(index === 0 ? {} : { key: `o-${index}` }),
      errors: [{ field: "amount", message: "expected a number, got \"x\"" }],
    }));
    rejected[1]!.errors.push({ field: "day", message: "required field is missing" });
    const repeated = [{ errors: [{ field: "colour", message: "unknown field" }], rows: 28, message: "and 28 more rows with the same error" }];
    const text = formatReport(args, { accepted: 5, rejected, rejectedTotal: 40, repeated });
    const lines = text.split("\n");
    expect(lines[0]).toBe("orders.csv → sales/orders: 5 accepted, 40 rejected");
    expect(lines[1]).toBe("First 10 rejected rows:");
    expect(lines[2]).toBe('  row 0: amount: expected a number, got "x"');
    expect(lines[3]).toBe('  row 1 (key o-1): amount: expected a number, got "x"');
    expect(lines[4]).toBe("  row 1 (key o-1): day: required field is missing");
    expect(lines[13]).toBe("  and 28 more rows with the same error: colour: unknown field");
    expect(lines).toHaveLength(14);
  });

  it("prints one line when nothing was rejected", () => {
    expect(formatReport(args, { accepted: 3, rejected: [], rejectedTotal: 0, repeated: [] })).toBe("orders.csv → sales/orders: 3 accepted, 0 rejected");
  });
});

describe("sendFile", () => {
  let server: Server;
  let url: string;
  let dir: string;
  let received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string } | undefined;
  let answer: { status: number; body: string } = { status: 200, body: "" };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mesh-load-"));
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received = { method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString() };
        response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("streams the file with its content type and the API key, and returns the report", async () => {
    const file = path.join(dir, "orders.csv");
    const csv = `id,amount\n${Array.from({ length: 5000 }, (_, id) => `${id},${id * 1.5}`).join("\n")}\n`;
    await writeFile(file, csv);
    answer = { status: 200, body: JSON.stringify({ accepted: 5000, rejected: [], rejectedTotal: 0 }) };
    const outcome = await sendFile(parseLoadArgs(["sales/orders", file, "--url", url]), "secret-key");
    expect(outcome).toEqual({ ok: true, report: { accepted: 5000, rejected: [], rejectedTotal: 0 } });
    expect(received).toMatchObject({ method: "POST", url: "/api/products/sales/orders/records", body: csv });
    expect(received!.headers["content-type"]).toBe("text/csv");
    expect(received!.headers.authorization).toBe("Bearer secret-key");
    // Streamed: sent in chunks, not with a length known up front.
    expect(received!.headers["transfer-encoding"]).toBe("chunked");
  });

  it("sends no Authorization without a key, and turns an HTTP error into its message", async () => {
    const file = path.join(dir, "orders.json");
    await writeFile(file, "[");
    answer = { status: 400, body: JSON.stringify({ error: "Malformed JSON: the array is not closed", code: "bad_request" }) };
    const outcome = await sendFile(parseLoadArgs(["sales/orders", file, "--url", url]), undefined);
    expect(outcome).toEqual({ ok: false, status: 400, message: "Malformed JSON: the array is not closed" });
    expect(received!.headers.authorization).toBeUndefined();
    expect(received!.headers["content-type"]).toBe("application/json");

    answer = { status: 502, body: "<html>Bad gateway</html>" };
    expect(await sendFile(parseLoadArgs(["sales/orders", file, "--url", url]), undefined)).toEqual({
      ok: false,
      status: 502,
      message: "<html>Bad gateway</html>",
    });
  });

  it("fails before connecting when the file does not exist", async () => {
    await expect(sendFile(parseLoadArgs(["sales/orders", path.join(dir, "missing.csv"), "--url", url]), undefined)).rejects.toThrow(
      /ENOENT/,
    );
  });
});
