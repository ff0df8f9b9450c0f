/**
 * Hostile endpoint URLs, each with the substring its refusal reason must
 * contain; and the fake DNS these tests resolve names with (no network).
 * Shared by the unit test of the SSRF rules and the integration test of the
 * inference capability's PUT route.
 */

export const FAKE_DNS: Record<string, string[]> = {
  "metadata.example": ["169.254.169.254"],
  "rebind.example": ["93.184.216.34", "10.0.0.5"],
  "internal.example": ["192.168.10.20"],
  "loop.example": ["127.0.0.1"],
  "v6loop.example": ["::1"],
  "mapped.example": ["::ffff:10.1.2.3"],
  "ula.example": ["fd12:3456::1"],
  "cgnat.example": ["100.100.100.200"],
  "zero.example": ["0.0.0.0"],
  "127.0.0.1.nip.io": ["127.0.0.1"],
  "169.254.169.254.nip.io": ["169.254.169.254"],
  "public.example": ["93.184.216.34"],
  "api.openai.example": ["2606:4700::6810:85e5"],
};

export async function fakeResolver(hostname: string): Promise<{ address: string; family: number }[]> {
  const addresses = FAKE_DNS[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
}

/** [url, a substring of the reason] */
export const HOSTILE_URLS: [string, string][] = [
  // Schemes
  ["file:///etc/passwd", "scheme file"],
  ["gopher://127.0.0.1:6379/_INFO", "scheme gopher"],
  ["ftp://example.com/model", "scheme ftp"],
  ["javascript:alert(1)", "scheme javascript"],
  ["data:text/plain,hello", "scheme data"],
  ["ws://example.com/v1", "scheme ws"],
  ["dict://127.0.0.1:11211/stat", "scheme dict"],
  ["not a url", "not a valid URL"],
  ["http://[::1%25eth0]/", "not a valid URL"],
  ["http://user:secret@public.example/v1", "credentials"],
  // Loopback, every encoding
  ["http://127.0.0.1/v1", "loopback"],
  ["http://127.0.0.1:11434/v1", "loopback"],
  ["http://127.1/", "loopback"],
  ["http://127.0.1/", "loopback"],
  ["http://2130706433/", "loopback"],
  ["http://0x7f000001/", "loopback"],
  ["http://0x7f.0x0.0x0.0x1/", "loopback"],
  ["http://0177.0.0.1/", "loopback"],
  ["http://017700000001/", "loopback"],
  ["http://%31%32%37.0.0.1/", "loopback"],
  ["http://①②⑦.0.0.1/", "loopback"],
  ["http://127.255.255.254/", "loopback"],
  ["HTTP://LOCALHOST/v1", "names this machine"],
  ["http://localhost./v1", "names this machine"],
  ["http://api.localhost/v1", "names this machine"],
  ["http://[::1]/v1", "loopback"],
  ["http://[0:0:0:0:0:0:0:1]/", "loopback"],
  ["http://[::ffff:127.0.0.1]/", "IPv4-mapped form of a loopback"],
  ["http://[::ffff:7f00:1]/", "IPv4-mapped form of a loopback"],
  ["http://[0:0:0:0:0:ffff:127.0.0.1]/", "IPv4-mapped form of a loopback"],
  ["http://[::127.0.0.1]/", "IPv4-compatible form of a loopback"],
  ["http://[64:ff9b::127.0.0.1]/", "NAT64 form of a loopback"],
  ["http://[2002:7f00:1::]/", "6to4 form of a loopback"],
  ["http://example.com@127.0.0.1/", "credentials"],
  ["http://127.0.0.1#@public.example/", "loopback"],
  ["http://127.0.0.1\\@public.example/", "loopback"],
  // Unspecified
  ["http://0.0.0.0/", "unspecified"],
  ["http://0/", "unspecified"],
  ["http://[::]/", "unspecified"],
  // Private
  ["http://10.0.0.1/", "private"],
  ["http://10.255.255.255/", "private"],
  ["http://172.16.0.1/", "private"],
  ["http://172.31.255.1/", "private"],
  ["http://192.168.1.1/", "private"],
  ["http://0300.0250.0.1/", "private"],
  ["http://3232235777/", "private"],
  ["http://[::ffff:10.0.0.1]/", "IPv4-mapped form of a private"],
  ["http://[fc00::1]/", "unique local"],
  ["http://[fd00:ec2::254]/", "unique local"],
  ["http://[fec0::1]/", "site-local"],
  // Link-local and cloud metadata
  ["http://169.254.169.254/latest/meta-data/", "link-local"],
  ["http://169.254.170.2/v2/credentials", "link-local"],
  ["http://2852039166/", "link-local"],
  ["http://0xa9fea9fe/", "link-local"],
  ["http://0xa9.0xfe.0xa9.0xfe/", "link-local"],
  ["http://0251.0376.0251.0376/", "link-local"],
  ["http://[::ffff:a9fe:a9fe]/", "IPv4-mapped form of a link-local"],
  ["http://[::ffff:169.254.169.254]/", "IPv4-mapped form of a link-local"],
  ["http://[fe80::1]/", "link-local"],
  ["http://metadata.google.internal/computeMetadata/v1/", "metadata service"],
  ["http://metadata/computeMetadata/v1/", "metadata service"],
  // CGNAT, multicast, reserved, documentation, benchmarking
  ["http://100.64.0.1/", "carrier-grade NAT"],
  ["http://100.127.255.254/", "carrier-grade NAT"],
  ["http://224.0.0.1/", "multicast"],
  ["http://239.255.255.250/", "multicast"],
  ["http://[ff02::1]/", "multicast"],
  ["http://255.255.255.255/", "reserved"],
  ["http://240.0.0.1/", "reserved"],
  ["http://192.0.2.10/", "documentation"],
  ["http://198.18.0.1/", "benchmarking"],
  ["http://[2001:db8::1]/", "documentation"],
  ["http://[2001:0:4136:e378::1]/", "Teredo"],
  // Names that resolve to refused addresses (DNS rebinding included)
  ["http://metadata.example/latest/meta-data", "resolves to 169.254.169.254"],
  ["http://rebind.example/v1", "resolves to 10.0.0.5"],
  ["http://internal.example/v1", "resolves to 192.168.10.20"],
  ["http://loop.example/v1", "resolves to 127.0.0.1"],
  ["http://v6loop.example/v1", "resolves to ::1"],
  ["http://mapped.example/v1", "resolves to ::ffff:10.1.2.3"],
  ["http://ula.example/v1", "resolves to fd12:3456::1"],
  ["http://cgnat.example/v1", "carrier-grade NAT"],
  ["http://zero.example/v1", "unspecified"],
  ["http://127.0.0.1.nip.io/v1", "loopback"],
  ["https://169.254.169.254.nip.io/v1", "link-local"],
  ["http://does-not-exist.example/v1", "does not resolve"],
];

/** Endpoints that must pass (with the fake DNS). */
export const ACCEPTED_URLS = ["https://public.example/v1", "http://93.184.216.34:8080/v1", "https://api.openai.example/v1", "https://[2606:4700::6810:85e5]/v1"];
