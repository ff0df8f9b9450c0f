import { requireActor } from "@/lib/auth/guard";
import { route, type ProductContext } from "@/lib/http";
import { checkHealthNow } from "@/lib/services/health";

/** Runs the product's checks now (its owners and admins). */
export const POST = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json(await checkHealthNow(actor, await params));
});
