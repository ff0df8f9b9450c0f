/**
 * The browser-facing security policy: pure functions, applied by the proxy
 * (proxy.ts) to every response it sees. The headers that never change
 * (nosniff, X-Frame-Options, Referrer-Policy) are in next.config.js.
 */

/**
 * The Content-Security-Policy of a page. Scripts run only with this
 * response's nonce (Next.js puts it on its own scripts; 'strict-dynamic' lets
 * them load the app's chunks); styles come from the app's own files or carry
 * the nonce; style attributes (a progress bar's width) are allowed, as they
 * cannot carry one. Development adds what React's dev tooling and hot reload
 * need.
 */
export function pagePolicy(nonce: string, development = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Why a URL path cannot name anything, if it cannot: a percent-escape that is
 * not UTF-8, or a NUL character (which no name, key or database text holds).
 */
export function pathProblem(pathname: string): string | undefined {
  for (const segment of pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `The URL path segment "${segment.slice(0, 80)}" is not valid percent-encoded UTF-8`;
    }
    if (decoded.includes("\u0000")) return `The URL path segment "${segment.slice(0, 80)}" contains a NUL character (%00)`;
  }
  return undefined;
}
