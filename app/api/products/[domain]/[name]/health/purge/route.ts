import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route, type ProductContext } from "@/lib/http";
import { purgeExpired } from "@/lib/services/health";
import { purgeInputSchema } from "@/lib/validation/health";

/** Removes the records past retention, or with `dryRun` (the default) only counts them. */
export const POST = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json(await purgeExpired(actor, await params, parseOrThrow(purgeInputSchema, await readJson(request))));
});
