import { requireActor, requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route, type ProductContext } from "@/lib/http";
import { disableInference, enableInference, inferenceStatus } from "@/lib/services/inference";
import { inferenceInputSchema } from "@/lib/validation/inference";

export const GET = route(async (request, { params }: ProductContext) => {
  const reader = await requireReader(request);
  return Response.json(await inferenceStatus(reader, await params));
});

/** Enables or reconfigures inference; a refused endpoint is a 422 naming the reason. */
export const PUT = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  const product = await params;
  const { status } = await enableInference(actor, product, parseOrThrow(inferenceInputSchema, await readJson(request)));
  return Response.json(status);
});

export const DELETE = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  await disableInference(actor, await params);
  return new Response(null, { status: 204 });
});
