import { requireActor, requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { route, searchParams, type ProductContext } from "@/lib/http";
import { measured } from "@/lib/services/health";
import { listRecords, loadRecords } from "@/lib/services/records";
import { recordPageSchema } from "@/lib/validation/records";

/** Loads records: a JSON array, NDJSON or CSV body, streamed. */
export const POST = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json(await loadRecords(actor, await params, request.body, request.headers.get("content-type")));
});

export const GET = measured(
  "read",
  route(async (request, { params }: ProductContext) => {
    const reader = await requireReader(request);
    const product = await params;
    return Response.json(await listRecords(reader, product, parseOrThrow(recordPageSchema, searchParams(request))));
  }),
);
