import { revokeApiKey } from "@/lib/services/accounts";
import { requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

export const DELETE = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  await revokeApiKey(actor, (await params).id);
  return new Response(null, { status: 204 });
});
