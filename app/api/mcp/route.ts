import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { requireActor } from "@/lib/auth/guard";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http";
import { createMcpServer } from "@/lib/services/mcp";

/**
 * The Model Context Protocol over Streamable HTTP (stateless: each request
 * gets its own server, acting as the API key's user). Only API keys sign in
 * here (Authorization: Bearer): a browser's session cookie is not accepted.
 */
const handle = route(async (request: Request) => {
  if (!/^Bearer\s+\S+/i.test(request.headers.get("authorization") ?? "")) {
    throw new AppError("unauthorized", "Send a portal API key as Authorization: Bearer <key> (create one on the Settings page)");
  }
  const actor = await requireActor(request);
  // Links in tool results point at the portal's public URL when one is configured.
  const server = createMcpServer(actor, env().BETTER_AUTH_URL ?? new URL(request.url).origin);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  return transport.handleRequest(request);
});

export const POST = (request: Request) => withChallenge(handle(request, undefined));
export const GET = POST;
export const DELETE = POST;

/** A 401 names the scheme, as HTTP asks. */
async function withChallenge(response: Promise<Response>): Promise<Response> {
  const result = await response;
  if (result.status === 401) result.headers.set("www-authenticate", 'Bearer realm="mesh-portal"');
  return result;
}
