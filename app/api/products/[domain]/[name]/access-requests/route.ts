import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route, type ProductContext } from "@/lib/http";
import { listAccessRequests, requestAccess } from "@/lib/services/access";
import { accessRequestInputSchema } from "@/lib/validation/access";

/** POST …/access-requests { purpose, days } — ask for access to a restricted product's records: 201 { id, status: "pending", … }. */
export const POST = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  const body = parseOrThrow(accessRequestInputSchema, await readJson(request));
  return Response.json(await requestAccess(actor, await params, body), { status: 201 });
});

/** GET …/access-requests — the product's deciders see every request, anyone else their own. */
export const GET = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json({ requests: await listAccessRequests(actor, await params) });
});
