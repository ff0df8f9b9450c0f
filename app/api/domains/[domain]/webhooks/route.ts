import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route } from "@/lib/http";
import { createWebhook, listWebhooks } from "@/lib/services/webhooks";
import { webhookInputSchema } from "@/lib/validation/notifications";

type Context = { params: Promise<{ domain: string }> };

/** The domain's webhooks (its owners and admins). */
export const GET = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  return Response.json({ webhooks: await listWebhooks(actor, (await params).domain) });
});

/** Registers a webhook; the answer holds its signing secret, shown this once. */
export const POST = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const webhook = await createWebhook(actor, (await params).domain, parseOrThrow(webhookInputSchema, await readJson(request)));
  return Response.json(webhook, { status: 201 });
});
