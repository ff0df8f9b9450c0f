import { requireActor } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";
import { transformRecord } from "@/lib/inference/service";

type Context = { params: Promise<{ domain: string; name: string }> };

/** { key }: transforms a stored record and stores the output with lineage; { record }: computes only. */
export const POST = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  return Response.json(await transformRecord(actor, domain, name, await readJson(request)));
});
