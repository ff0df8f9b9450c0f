import { requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http";
import { testWebhook } from "@/lib/services/webhooks";

type Context = { params: Promise<{ domain: string; id: string }> };

/** Sends a webhook.test event now; answers with its delivery. */
export const POST = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, id } = await params;
  return Response.json(await testWebhook(actor, domain, id));
});
