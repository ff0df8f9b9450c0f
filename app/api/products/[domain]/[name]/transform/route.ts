import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route, type ProductContext } from "@/lib/http";
import { transformRecord } from "@/lib/services/inference";
import { transformInputSchema } from "@/lib/validation/inference";

/** { key }: transforms a stored record and stores the output with lineage; { record }: computes only. */
export const POST = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  const product = await params;
  return Response.json(await transformRecord(actor, product, parseOrThrow(transformInputSchema, await readJson(request))));
});
