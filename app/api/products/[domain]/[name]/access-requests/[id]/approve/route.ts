import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route } from "@/lib/http";
import { approveAccessRequest } from "@/lib/services/access";
import { approveInputSchema } from "@/lib/validation/access";

type Context = { params: Promise<{ domain: string; name: string; id: string }> };

/** POST …/access-requests/{id}/approve { days? } — the domain's owners (or an admin) grant access, for at most the days asked. */
export const POST = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { id, ...product } = await params;
  return Response.json(await approveAccessRequest(actor, product, id, parseOrThrow(approveInputSchema, await readJson(request))));
});
