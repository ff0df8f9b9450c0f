import { requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http";
import { removeWebhook } from "@/lib/services/webhooks";

type Context = { params: Promise<{ domain: string; id: string }> };

export const DELETE = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, id } = await params;
  await removeWebhook(actor, domain, id);
  return new Response(null, { status: 204 });
});
