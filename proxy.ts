import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { API_POLICY, newNonce, pagePolicy, pathProblem } from "@/lib/security/headers";

/**
 * Runs before every route: refuses URL paths that cannot name anything, and
 * gives each page a fresh CSP nonce (Next.js reads it from the request's
 * Content-Security-Policy header and puts it on its scripts).
 */
export function proxy(request: NextRequest) {
  const problem = pathProblem(request.nextUrl.pathname);
  if (problem) {
    return NextResponse.json({ error: problem, code: "bad_request" }, { status: 400, headers: { "Content-Security-Policy": API_POLICY } });
  }
  if (request.nextUrl.pathname.startsWith("/api/")) {
    const response = NextResponse.next();
    response.headers.set("Content-Security-Policy", API_POLICY);
    return response;
  }
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
  // Everything but the build's static files, which are served as they are.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
