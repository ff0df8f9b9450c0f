import { describe, expect, it } from "vitest";
import { forwardedFor, invalidProxyEntries, trustedProxies } from "./client-address";

describe("forwardedFor", () => {
  const none = trustedProxies([]);
  const proxy = trustedProxies(["10.0.0.5", "192.168.0.0/16", "fd00::/8"]);

  it("ignores a forwarded address from a client that is not a trusted proxy", () => {
    expect(forwardedFor("127.0.0.1", "203.0.113.77", none)).toBe("127.0.0.1");
    expect(forwardedFor("::ffff:127.0.0.1", ["1.1.1.1", "2.2.2.2"], none)).toBe("127.0.0.1");
    expect(forwardedFor("198.51.100.4", "10.0.0.5", proxy)).toBe("198.51.100.4");
  });

  it("extends the chain of a trusted proxy with the proxy's own address", () => {
    expect(forwardedFor("10.0.0.5", "203.0.113.77", proxy)).toBe("203.0.113.77, 10.0.0.5");
    expect(forwardedFor("::ffff:192.168.4.4", "203.0.113.77, 192.168.9.9", proxy)).toBe("203.0.113.77, 192.168.9.9, 192.168.4.4");
    expect(forwardedFor("fd12::1", "2001:db8::7", proxy)).toBe("2001:db8::7, fd12::1");
    expect(forwardedFor("10.0.0.5", undefined, proxy)).toBe("10.0.0.5");
  });

  it("names what is not an address or range", () => {
    expect(invalidProxyEntries(["10.0.0.5", "10.0.0.0/8", "::1", "fd00::/8", "proxy.local", "10.0.0.0/33", "1.2.3.4/x", "1.2.3.4/8/9"])).toEqual([
      "proxy.local",
      "10.0.0.0/33",
      "1.2.3.4/x",
      "1.2.3.4/8/9",
    ]);
  });
});
