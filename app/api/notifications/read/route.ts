import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route } from "@/lib/http";
import { markNotificationsRead } from "@/lib/services/notifications";
import { markReadInputSchema } from "@/lib/validation/notifications";

/** Marks notifications read: `{ ids }` or `{ all: true }`. */
export const POST = route(async (request) => {
  const actor = await requireActor(request);
  return Response.json(await markNotificationsRead(actor, parseOrThrow(markReadInputSchema, await readJson(request))));
});
