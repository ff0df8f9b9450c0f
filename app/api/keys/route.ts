import { apiKeys, issueApiKey } from "@/lib/accounts";
import { requireActor } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";

/** The signed-in user's API keys: create one (shown once) or list them (never the keys themselves). */

export const POST = route(async (request) => {
  const actor = await requireActor(request);
  return Response.json(await issueApiKey(actor, await readJson(request)), { status: 201 });
});

export const GET = route(async (request) => {
  const actor = await requireActor(request);
  return Response.json({ keys: await apiKeys(actor) });
});
