import { requireActor, requireReader } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";
import { disableInference, enableInference, inferenceStatus } from "@/lib/inference/service";

type Context = { params: Promise<{ domain: string; name: string }> };

export const GET = route(async (request, { params }: Context) => {
  await requireReader(request);
  const { domain, name } = await params;
  return Response.json(await inferenceStatus(domain, name));
});

/** Enables or reconfigures inference; a refused endpoint is a 422 naming the reason. */
export const PUT = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  const { status } = await enableInference(actor, domain, name, await readJson(request));
  return Response.json(status);
});

export const DELETE = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  await disableInference(actor, domain, name);
  return new Response(null, { status: 204 });
});
