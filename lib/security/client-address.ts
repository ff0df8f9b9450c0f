import { BlockList, isIP } from "node:net";

/**
 * The client address as the portal believes it. A client can put anything in
 * X-Forwarded-For, so the header counts only when the connection comes from a
 * proxy on TRUSTED_PROXY (addresses or CIDR ranges); then the socket's
 * address is appended, as a proxy would, and the sign-in limiter walks the
 * chain from the right past the trusted hops. From anyone else, the header is
 * replaced by the socket's address.
 */

export function trustedProxies(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** Invalid TRUSTED_PROXY entries (not an IP address or CIDR range). */
export function invalidProxyEntries(entries: string[]): string[] {
  return entries.filter((entry) => {
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(address);
    if (!family || extra !== undefined) return true;
    if (prefix === undefined) return false;
    return !/^\d+$/.test(prefix) || Number(prefix) > (family === 6 ? 128 : 32);
  });
}

function plain(address: string): string {
  // IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d.
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function forwardedFor(socketAddress: string | undefined, header: string | string[] | undefined, trusted: BlockList): string | undefined {
  if (!socketAddress) return undefined;
  const remote = plain(socketAddress);
  const claimed = (Array.isArray(header) ? header.join(", ") : header)?.trim();
  if (claimed && trusted.check(remote, isIP(remote) === 6 ? "ipv6" : "ipv4")) return `${claimed}, ${remote}`;
  return remote;
}
