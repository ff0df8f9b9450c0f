import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { parseIPv4, parseIPv6, refusedAddress } from "../mesh/ssrf";
import { createSafeFetch, resolveSafely } from "./safe-fetch";
import { ACCEPTED_URLS, HOSTILE_URLS, fakeResolver } from "@/tests/helpers/ssrf-corpus";

describe("SSRF: hostile endpoint URLs", () => {
  it(`the corpus holds at least 60 URLs (${HOSTILE_URLS.length})`, () => {
    expect(HOSTILE_URLS.length).toBeGreaterThanOrEqual(60);
  });

  for (const [url, reason] of HOSTILE_URLS) {
    it(`refuses ${url}: ${reason}`, async () => {
      const resolver = vi.fn(fakeResolver);
      await expect(resolveSafely(url, { allowedHosts: [], resolver })).rejects.toMatchObject({
        code: "validation",
        reason: expect.stringContaining(reason),
      });
    });
  }

  it("accepts public addresses and names that resolve only to public addresses", async () => {
    for (const url of ACCEPTED_URLS) {
      await expect(resolveSafely(url, { allowedHosts: [], resolver: fakeResolver })).resolves.toMatchObject({ url: expect.any(URL) });
    }
  });

  it("never resolves a literal address, and resolves a name once", async () => {
    const resolver = vi.fn(fakeResolver);
    await expect(resolveSafely("http://10.0.0.1/", { allowedHosts: [], resolver })).rejects.toThrow();
    expect(resolver).not.toHaveBeenCalled();
    await resolveSafely("https://public.example/v1", { allowedHosts: [], resolver });
    expect(resolver).toHaveBeenCalledTimes(1);
  });

  it("an operator allowlist lets a named host through (a local Ollama), and only that host", async () => {
    await expect(resolveSafely("http://localhost:11434/v1", { allowedHosts: ["localhost"], resolver: async () => [{ address: "127.0.0.1", family: 4 }] })).resolves.toMatchObject({
      address: "127.0.0.1",
    });
    await expect(resolveSafely("http://127.0.0.1:11434/v1", { allowedHosts: ["localhost"], resolver: fakeResolver })).rejects.toThrow(/loopback/);
    await expect(resolveSafely("http://127.0.0.1:11434/v1", { allowedHosts: ["127.0.0.1"], resolver: fakeResolver })).resolves.toMatchObject({ address: "127.0.0.1" });
    await expect(resolveSafely("file:///etc/passwd", { allowedHosts: ["localhost"], resolver: fakeResolver })).rejects.toThrow(/scheme/);
  });
});

describe("address parsing", () => {
  it("parses IPv4 in inet_aton forms", () => {
    expect(parseIPv4("127.0.0.1")).toBe(0x7f000001n);
    expect(parseIPv4("127.1")).toBe(0x7f000001n);
    expect(parseIPv4("0x7f.1")).toBe(0x7f000001n);
    expect(parseIPv4("017700000001")).toBe(0x7f000001n);
    expect(parseIPv4("256.0.0.1")).toBeNull();
    expect(parseIPv4("example.com")).toBeNull();
  });
  it("parses IPv6 with compression and an IPv4 tail", () => {
    expect(parseIPv6("::1")).toBe(1n);
    expect(parseIPv6("[::ffff:127.0.0.1]")).toBe(0xffff7f000001n);
    expect(parseIPv6("1:2:3:4:5:6:7:8")).toBe(0x00010002000300040005000600070008n);
    expect(parseIPv6("1::2::3")).toBeNull();
    expect(parseIPv6("fe80::1%eth0")).toBeNull();
  });
  it("public addresses are not refused", () => {
    for (const address of ["8.8.8.8", "93.184.216.34", "2606:4700::6810:85e5", "::ffff:8.8.8.8", "2002:0808:0808::1"]) expect(refusedAddress(address)).toBeNull();
  });
});

describe("safe fetch", () => {
  it("pins the connection to the checked address and refuses redirects", async () => {
    const server = createServer((request, response) => {
      if (request.url === "/redirect") response.writeHead(302, { location: "http://169.254.169.254/" }).end();
      else response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ host: request.headers.host }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      // "model.test" resolves (fakely) to 127.0.0.1, allowlisted: the socket goes there, never to DNS.
      const fetch = createSafeFetch({ allowedHosts: ["model.test"], resolver: async () => [{ address: "127.0.0.1", family: 4 }] });
      const ok = await fetch(`http://model.test:${port}/v1`);
      expect(await ok.json()).toEqual({ host: `model.test:${port}` });
      await expect(fetch(`http://model.test:${port}/redirect`)).rejects.toThrow(/redirect/);
      await expect(createSafeFetch({ allowedHosts: [] })(`http://127.0.0.1:${port}/v1`)).rejects.toThrow(/loopback/);
    } finally {
      server.close();
    }
  });

  it("caps the response size", async () => {
    const server = createServer((_request, response) => response.writeHead(200).end("x".repeat(50_000)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const fetch = createSafeFetch({ allowedHosts: ["127.0.0.1"], maxResponseBytes: 10_000 });
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow(/exceeds/);
    } finally {
      server.close();
    }
  });

  it("times out a silent endpoint", async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const fetch = createSafeFetch({ allowedHosts: ["127.0.0.1"], totalTimeoutMs: 300 });
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow(/did not answer/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
