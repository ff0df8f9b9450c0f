import { requireActor } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";
import { cancelBatchAs, startBatch } from "@/lib/inference/batch";

type Context = { params: Promise<{ domain: string; name: string }> };

/** "Apply to all records": 202, the run goes on in the background (follow it with GET .../capabilities/inference). */
export const POST = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  const body = request.headers.get("content-length") === "0" || !request.body ? {} : await readJson(request);
  return Response.json(await startBatch(actor, domain, name, body), { status: 202 });
});

/** Cancels the running run; records already transformed keep their output. */
export const DELETE = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  return Response.json(await cancelBatchAs(actor, domain, name));
});
