import { requireActor } from "@/lib/auth/guard";
import { route, type ProductContext } from "@/lib/http";
import { listGrants } from "@/lib/services/access";

/** GET …/grants — the product's grants (active, expired, revoked), for its domain's owners and admins. */
export const GET = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json({ grants: await listGrants(actor, await params) });
});
