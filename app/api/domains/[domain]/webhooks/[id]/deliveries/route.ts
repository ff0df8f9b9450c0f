import { requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http";
import { webhookDeliveries } from "@/lib/services/webhooks";

type Context = { params: Promise<{ domain: string; id: string }> };

/** The webhook's delivery log, newest first. */
export const GET = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, id } = await params;
  return Response.json({ deliveries: await webhookDeliveries(actor, domain, id) });
});
