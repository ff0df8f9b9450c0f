import { requireActor, requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route, type ProductContext } from "@/lib/http";
import { disableSemanticSearch, enableSemanticSearch, semanticSearchStatus } from "@/lib/services/semantic-search";
import { semanticSearchInputSchema } from "@/lib/validation/semantic-search";

export const GET = route(async (request, { params }: ProductContext) => {
  const reader = await requireReader(request);
  return Response.json(await semanticSearchStatus(reader, await params));
});

/** 202 when indexing starts, 200 when the same configuration is already in place. */
export const PUT = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  const product = await params;
  const { started, status } = await enableSemanticSearch(actor, product, parseOrThrow(semanticSearchInputSchema, await readJson(request)));
  return Response.json(status, { status: started ? 202 : 200 });
});

export const DELETE = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  await disableSemanticSearch(actor, await params);
  return new Response(null, { status: 204 });
});
