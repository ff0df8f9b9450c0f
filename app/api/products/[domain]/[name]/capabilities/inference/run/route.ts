import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route, type ProductContext } from "@/lib/http";
import { cancelInferenceRun, startInferenceRun } from "@/lib/services/inference";
import { runInputSchema } from "@/lib/validation/inference";

/** "Apply to all records": 202, the run goes on in the background (follow it with GET .../capabilities/inference). */
export const POST = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  const product = await params;
  const body = request.headers.get("content-length") === "0" || !request.body ? {} : await readJson(request);
  return Response.json(await startInferenceRun(actor, product, parseOrThrow(runInputSchema, body ?? {})), { status: 202 });
});

/** Cancels the running run; records already transformed keep their output. */
export const DELETE = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json(await cancelInferenceRun(actor, await params));
});
