import { requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http";
import { revokeGrant } from "@/lib/services/access";

type Context = { params: Promise<{ domain: string; name: string; id: string }> };

/** DELETE …/grants/{id} — revoke a grant at once: 204. */
export const DELETE = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { id, ...product } = await params;
  await revokeGrant(actor, product, id);
  return new Response(null, { status: 204 });
});
