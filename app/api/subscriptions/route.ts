import { requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http";
import { subscriptions } from "@/lib/services/notifications";

/** The products the signed-in user follows. */
export const GET = route(async (request) => {
  const actor = await requireActor(request);
  return Response.json({ subscriptions: await subscriptions(actor) });
});
