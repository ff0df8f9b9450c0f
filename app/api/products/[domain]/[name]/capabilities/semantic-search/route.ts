import { requireActor, requireReader } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";
import { disableSemanticSearch, enableSemanticSearch, semanticSearchStatus } from "@/lib/search/semantic-search";

type Context = { params: Promise<{ domain: string; name: string }> };

export const GET = route(async (request, { params }: Context) => {
  await requireReader(request);
  const { domain, name } = await params;
  return Response.json(await semanticSearchStatus(domain, name));
});

/** 202 when indexing starts, 200 when the same configuration is already in place. */
export const PUT = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  const { started, status } = await enableSemanticSearch(actor, domain, name, await readJson(request));
  return Response.json(status, { status: started ? 202 : 200 });
});

export const DELETE = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  await disableSemanticSearch(actor, domain, name);
  return new Response(null, { status: 204 });
});
