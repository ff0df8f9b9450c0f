import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { newNonce, pagePolicy, pathProblem } from "@/lib/security/headers";

/**
 * Runs before every page: refuses URL paths that cannot name anything, and
 * gives each page a fresh CSP nonce (Next.js reads it from the request's
 * Content-Security-Policy header and puts it on its scripts). Not for the
 * API: Next.js buffers the body of every request a proxy sees, which would
 * hold an upload in memory before its route could read, check and time it
 * (the API's headers are in next.config.js, its path check in lib/http.ts).
 */
export function proxy(request: NextRequest) {
  const problem = pathProblem(request.nextUrl.pathname);
  if (problem) return NextResponse.json({ error: problem, code: "bad_request" }, { status: 400 });
  const nonce = newNonce();
  const policy = pagePolicy(nonce, env().NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages: everything but the API and the build's static files.
  matcher: ["/((?!api/|_next/static|_next/image).*)"],
};
