import { requireReader } from "@/lib/auth/guard";
import { forgetConversation, myConversation } from "@/lib/services/conversations";
import { route } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

/** GET /api/conversations/{id} — one conversation with its messages; DELETE forgets it. */
export const GET = route(async (request, { params }: Context) => {
  const actor = await requireReader(request);
  return Response.json(await myConversation(actor, (await params).id));
});

export const DELETE = route(async (request, { params }: Context) => {
  const actor = await requireReader(request);
  await forgetConversation(actor, (await params).id);
  return new Response(null, { status: 204 });
});
