import { readJson, route } from "@/lib/http";
import { disableSemanticSearch, enableSemanticSearch, semanticSearchStatus } from "@/lib/search/semantic-search";

type Context = { params: Promise<{ domain: string; name: string }> };

export const GET = route(async (_request, { params }: Context) => {
  const { domain, name } = await params;
  return Response.json(await semanticSearchStatus(domain, name));
});

/** 202 when indexing starts, 200 when the same configuration is already in place. */
export const PUT = route(async (request, { params }: Context) => {
  const { domain, name } = await params;
  const { started, status } = await enableSemanticSearch(domain, name, await readJson(request));
  return Response.json(status, { status: started ? 202 : 200 });
});

export const DELETE = route(async (_request, { params }: Context) => {
  const { domain, name } = await params;
  await disableSemanticSearch(domain, name);
  return new Response(null, { status: 204 });
});
