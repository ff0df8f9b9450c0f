import { requireReader } from "@/lib/auth/guard";
import { myConversations } from "@/lib/services/conversations";
import { route } from "@/lib/http";

/** GET /api/conversations — the signed-in user's chat conversations, latest first. */
export const GET = route(async (request) => {
  const actor = await requireReader(request);
  return Response.json({ conversations: await myConversations(actor) });
});
