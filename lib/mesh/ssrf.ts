/**
 * Server-side request forgery rules for URLs that users give the server to
 * call (model endpoints): pure functions, no network. The URL is parsed by
 * the WHATWG parser (the one fetch uses), which already turns decimal, octal
 * and hex IPv4 forms ("2130706433", "0177.0.0.1", "0x7f.1") into dotted
 * quads; addresses are classified here, in every form (IPv4, IPv6, IPv4
 * mapped, compatible, NAT64 and 6to4), against the ranges a portal must never
 * reach: loopback, private, link-local (cloud metadata), CGNAT, multicast,
 * unspecified, reserved and documentation ranges.
 */

export type UrlCheck = { ok: true; url: URL; hostname: string; literal: string | null } | { ok: false; reason: string };

interface Range {
  /** Network address as a BigInt, prefix length, address family bits. */
  base: bigint;
  prefix: number;
  reason: string;
}

/** Parses a strict dotted-quad IPv4 (what the URL parser produces) or inet_aton forms (decimal, octal, hex, 1–4 parts). */
export function parseIPv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length === 0 || parts.length > 4 || parts.some((part) => part === "")) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part.slice(1), 8);
    else if (/^(0|[1-9]\d*)$/.test(part)) value = Number(part);
    else return null;
    if (!Number.isSafeInteger(value)) return null;
    numbers.push(value);
  }
  const last = numbers.pop()!;
  if (numbers.some((value) => value > 255)) return null;
  if (last >= 2 ** (8 * (4 - numbers.length))) return null;
  let result = 0n;
  numbers.forEach((value, index) => (result |= BigInt(value) << BigInt(8 * (3 - index))));
  return result | BigInt(last);
}

/** Parses an IPv6 address (with an optional trailing dotted IPv4) into a 128-bit BigInt; no zone ids. */
export function parseIPv6(text: string): bigint | null {
  let input = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!input.includes(":") || input.includes("%")) return null;
  const lastColon = input.lastIndexOf(":");
  const maybeV4 = input.slice(lastColon + 1);
  if (maybeV4.includes(".")) {
    // A dotted IPv4 tail becomes two hextets.
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(maybeV4)) return null;
    const four = parseIPv4(maybeV4);
    if (four === null) return null;
    input = `${input.slice(0, lastColon + 1)}${(four >> 16n).toString(16)}:${(four & 0xffffn).toString(16)}`;
  }
  const halves = input.split("::");
  if (halves.length > 2) return null;
  const toGroups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = toGroups(halves[0]!);
  const rest = halves.length === 2 ? toGroups(halves[1]!) : [];
  const groups = [...head, ...rest];
  if (groups.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return null;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7) return null;
  const zeros = 8 - groups.length;
  const all = [...head, ...(halves.length === 2 ? Array<string>(zeros).fill("0") : []), ...rest];
  return all.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const v4 = (cidr: string, reason: string): Range => {
  const [address, prefix] = cidr.split("/");
  return { base: parseIPv4(address!)!, prefix: Number(prefix), reason };
};
const v6 = (cidr: string, reason: string): Range => {
  const [address, prefix] = cidr.split("/");
  return { base: parseIPv6(address!)!, prefix: Number(prefix), reason };
};

const V4_REFUSED: Range[] = [
  v4("0.0.0.0/8", "unspecified address (0.0.0.0/8)"),
  v4("10.0.0.0/8", "private address (10.0.0.0/8)"),
  v4("100.64.0.0/10", "carrier-grade NAT address (100.64.0.0/10)"),
  v4("127.0.0.0/8", "loopback address (127.0.0.0/8)"),
  v4("169.254.0.0/16", "link-local address (169.254.0.0/16, incl. cloud metadata)"),
  v4("172.16.0.0/12", "private address (172.16.0.0/12)"),
  v4("192.0.0.0/24", "reserved address (192.0.0.0/24)"),
  v4("192.0.2.0/24", "documentation address (192.0.2.0/24)"),
  v4("192.88.99.0/24", "reserved relay address (192.88.99.0/24)"),
  v4("192.168.0.0/16", "private address (192.168.0.0/16)"),
  v4("198.18.0.0/15", "benchmarking address (198.18.0.0/15)"),
  v4("198.51.100.0/24", "documentation address (198.51.100.0/24)"),
  v4("203.0.113.0/24", "documentation address (203.0.113.0/24)"),
  v4("224.0.0.0/4", "multicast address (224.0.0.0/4)"),
  v4("240.0.0.0/4", "reserved address (240.0.0.0/4, incl. broadcast)"),
];

const V6_REFUSED: Range[] = [
  v6("::/128", "unspecified address (::)"),
  v6("::1/128", "loopback address (::1)"),
  v6("100::/64", "discard address (100::/64)"),
  v6("2001::/32", "Teredo tunnel address (2001::/32)"),
  v6("2001:db8::/32", "documentation address (2001:db8::/32)"),
  v6("fc00::/7", "private (unique local) address (fc00::/7)"),
  v6("fe80::/10", "link-local address (fe80::/10)"),
  v6("fec0::/10", "site-local address (fec0::/10)"),
  v6("ff00::/8", "multicast address (ff00::/8)"),
];

const inRange = (address: bigint, range: Range, bits: number) => address >> BigInt(bits - range.prefix) === range.base >> BigInt(bits - range.prefix);

/** Why an IPv4 address (as a BigInt) is refused, or null if it is a public address. */
function refusedV4(address: bigint): string | null {
  return V4_REFUSED.find((range) => inRange(address, range, 32))?.reason ?? null;
}

/** Why an IPv6 address is refused, including IPv4 embedded in mapped, compatible, NAT64 and 6to4 forms. */
function refusedV6(address: bigint): string | null {
  const direct = V6_REFUSED.find((range) => inRange(address, range, 128));
  if (direct) return direct.reason;
  const low32 = address & 0xffffffffn;
  const embedded = (form: string, v4address: bigint) => {
    const reason = refusedV4(v4address);
    return reason ? `${form} of a ${reason}` : null;
  };
  if (address >> 32n === 0xffffn) return embedded("IPv4-mapped form", low32); // ::ffff:a.b.c.d
  if (address >> 32n === 0n) return embedded("IPv4-compatible form", low32) ?? "IPv4-compatible address (::a.b.c.d, deprecated)";
  if (address >> 32n === 0xffff0000n) return embedded("IPv4-translated form", low32); // ::ffff:0:a.b.c.d
  if (address >> 32n === 0x64ff9b0000000000000000n) return embedded("NAT64 form", low32); // 64:ff9b::/96
  if (address >> 112n === 0x2002n) return embedded("6to4 form", (address >> 80n) & 0xffffffffn); // 2002:AABB:CCDD::
  return null;
}

/** Classifies a literal IP address (IPv4 in any inet_aton form, or IPv6, bracketed or not): the refusal reason, or null if public. */
export function refusedAddress(address: string): string | null {
  const four = parseIPv4(address);
  if (four !== null) return refusedV4(four);
  const six = parseIPv6(address);
  if (six !== null) return refusedV6(six);
  return "not an IP address";
}

/** Whether `text` is a literal IP address (after URL parsing: dotted IPv4 or bracketed IPv6). */
export function literalAddress(hostname: string): string | null {
  if (hostname.startsWith("[")) return parseIPv6(hostname) === null ? null : hostname.slice(1, -1);
  return parseIPv4(hostname) === null ? null : hostname;
}

/** Host names refused without resolving: they name this machine or a metadata service by convention. */
const REFUSED_NAMES = [/^localhost$/, /\.localhost$/, /^metadata\.google\.internal$/, /^metadata$/, /^instance-data$/];

/**
 * Checks the form of an endpoint URL (before any resolution): http(s) only,
 * no credentials, a host; a literal IP address is classified here. Hosts on
 * `allowedHosts` (lower-case names or addresses) skip the address rules.
 */
export function checkUrl(input: string, allowedHosts: readonly string[] = []): UrlCheck {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: `scheme ${url.protocol.replace(/:$/, "")} is not allowed: use http or https` };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed: use apiKeyEnv" };
  const hostname = url.hostname.toLowerCase().replace(/\.$/, "");
  if (!hostname) return { ok: false, reason: "the URL has no host" };
  const allowed = isAllowedHost(hostname, allowedHosts);
  const literal = literalAddress(hostname);
  if (!allowed) {
    if (literal !== null) {
      const reason = refusedAddress(literal);
      if (reason) return { ok: false, reason: `${hostname} is a ${reason}` };
    } else if (REFUSED_NAMES.some((pattern) => pattern.test(hostname))) {
      return { ok: false, reason: `${hostname} names this machine or a metadata service` };
    }
  }
  return { ok: true, url, hostname, literal };
}

export function isAllowedHost(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "").replace(/^\[(.*)\]$/, "$1");
  return allowedHosts.some((allowed) => allowed.toLowerCase().replace(/^\[(.*)\]$/, "$1") === host);
}

/**
 * Chooses the address to connect to among the resolved ones: every one must
 * be allowed (a name resolving to a public and a private address is refused,
 * so that no later resolution can pick the private one).
 */
export function chooseAddress(
  hostname: string,
  addresses: readonly { address: string; family: number }[],
  allowed: boolean,
): { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string } {
  if (addresses.length === 0) return { ok: false, reason: `${hostname} does not resolve` };
  if (!allowed) {
    for (const { address } of addresses) {
      const reason = refusedAddress(address);
      if (reason) return { ok: false, reason: `${hostname} resolves to ${address}, a ${reason}` };
    }
  }
  const first = addresses[0]!;
  return { ok: true, address: first.address, family: first.family === 6 ? 6 : 4 };
}
