import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route } from "@/lib/http";
import { denyAccessRequest } from "@/lib/services/access";
import { denyInputSchema } from "@/lib/validation/access";

type Context = { params: Promise<{ domain: string; name: string; id: string }> };

/** POST …/access-requests/{id}/deny { reason } — the domain's owners (or an admin) refuse, with a reason the requester sees. */
export const POST = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { id, ...product } = await params;
  return Response.json(await denyAccessRequest(actor, product, id, parseOrThrow(denyInputSchema, await readJson(request))));
});
