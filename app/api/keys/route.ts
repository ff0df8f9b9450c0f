import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route } from "@/lib/http";
import { apiKeys, issueApiKey } from "@/lib/services/accounts";
import { apiKeyInputSchema } from "@/lib/validation/accounts";

/** The signed-in user's API keys: create one (shown once) or list them (never the keys themselves). */

export const POST = route(async (request) => {
  const actor = await requireActor(request);
  return Response.json(await issueApiKey(actor, parseOrThrow(apiKeyInputSchema, await readJson(request))), { status: 201 });
});

export const GET = route(async (request) => {
  const actor = await requireActor(request);
  return Response.json({ keys: await apiKeys(actor) });
});
