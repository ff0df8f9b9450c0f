// lib/net: outbound HTTP to user-given URLs, SSRF-safe.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { AppError } from "../errors";
import { checkUrl, chooseAddress, isAllowedHost } from "../mesh/ssrf";
import { processSlot } from "../runtime/singleton";

/**
 * Calls user-given URLs safely (model endpoints, webhooks): the URL is checked
 * (lib/mesh/ssrf.ts), its host resolved and every resolved address checked,
 * and the connection is made to exactly that checked address (the socket's
 * DNS lookup is pinned to it, so a second resolution cannot rebind it).
 * Redirects are never followed; connect and total timeouts and a response
 * size cap apply. Operator-allowlisted hosts skip only the address rules.
 */

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });
const testResolver = processSlot<Resolver>("resolver");

/** The resolver used when none is passed: the system's DNS, or the one a test set. */
export const defaultResolver: Resolver = (hostname) => (testResolver.get() ?? systemResolver)(hostname);

/** Tests: resolve names without DNS (undefined restores the system's resolver). */
export function setDefaultResolver(resolver: Resolver | undefined): void {
  testResolver.set(resolver);
}

export interface SafeFetchOptions {
  allowedHosts: readonly string[];
  resolver?: Resolver;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Who is called, in error messages: "The model endpoint" unless given. */
  peer?: string;
  /** The input field a refused URL is reported on: "endpoint" unless given. */
  field?: string;
}

export class RefusedUrlError extends AppError {
  constructor(
    readonly reason: string,
    field = "endpoint",
  ) {
    super("validation", `${field === "endpoint" ? "Endpoint" : "URL"} refused: ${reason}`, { [field]: [reason] });
  }
}

/** Checks a URL and resolves it to one allowed address, without connecting. Throws RefusedUrlError with the reason. */
export async function resolveSafely(
  input: string,
  { allowedHosts, resolver = defaultResolver, field }: Pick<SafeFetchOptions, "allowedHosts" | "resolver" | "field">,
): Promise<{ url: URL; hostname: string; literal: string | null; address: string; family: 4 | 6 }> {
  const checked = checkUrl(input, allowedHosts);
  if (!checked.ok) throw new RefusedUrlError(checked.reason, field);
  const { url, hostname, literal } = checked;
  const allowed = isAllowedHost(hostname, allowedHosts);
  let addresses: { address: string; family: number }[];
  if (literal !== null) addresses = [{ address: literal, family: literal.includes(":") ? 6 : 4 }];
  else {
    try {
      addresses = await resolver(hostname);
    } catch {
      throw new RefusedUrlError(`${hostname} does not resolve`, field);
    }
  }
  const chosen = chooseAddress(hostname, addresses, allowed);
  if (!chosen.ok) throw new RefusedUrlError(chosen.reason, field);
  return { url, hostname, literal, address: chosen.address, family: chosen.family };
}

/** A `fetch` for the AI SDK's providers that only reaches checked, pinned addresses. */
export function createSafeFetch(options: SafeFetchOptions): typeof globalThis.fetch {
  const { connectTimeoutMs = 5_000, totalTimeoutMs = 60_000, maxResponseBytes = 2 * 1024 * 1024, peer = "The model endpoint" } = options;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const target = await resolveSafely(request.url, options);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    if (body) headers["content-length"] = String(body.length);
    const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const client = target.url.protocol === "https:" ? https : http;

    return new Promise<Response>((resolve, reject) => {
      const signal = init?.signal ?? request.signal;
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(total);
        outgoing.destroy();
        reject(error);
      };
      const total = setTimeout(() => fail(new Error(`${peer} did not answer within ${totalTimeoutMs / 1000} s`)), totalTimeoutMs);
      const outgoing = client.request(
        target.url,
        { method: request.method, headers, lookup: pinned, servername: target.literal === null ? target.hostname : undefined, agent: false },
        (response) => {
          const status = response.statusCode ?? 500;
          if (status >= 300 && status < 400) {
            response.resume();
            fail(new Error(`${peer} answered with a redirect (${status}); redirects are not followed`));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxResponseBytes) {
              fail(new Error(`${peer}'s response exceeds ${Math.round(maxResponseBytes / 1024)} KiB`));
              return;
            }
            chunks.push(chunk);
          });
          response.on("error", fail);
          response.on("end", () => {
            if (settled) return;
            settled = true;
            clearTimeout(total);
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
            }
            resolve(new Response(status === 204 ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
          });
        },
      );
      outgoing.setTimeout(connectTimeoutMs, () => fail(new Error(`${peer} could not be reached within ${connectTimeoutMs / 1000} s`)));
      outgoing.on("socket", (socket) => socket.once("connect", () => outgoing.setTimeout(0)));
      outgoing.on("error", fail);
      if (signal) {
        if (signal.aborted) fail(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
        signal.addEventListener("abort", () => fail(signal.reason instanceof Error ? signal.reason : new Error("aborted")), { once: true });
      }
      outgoing.end(body);
    });
  }) as typeof globalThis.fetch;
}
