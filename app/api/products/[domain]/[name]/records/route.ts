import { requireActor, requireReader } from "@/lib/auth/guard";
import { route } from "@/lib/http";
import { listRecords, loadRecords } from "@/lib/records";

type Context = { params: Promise<{ domain: string; name: string }> };

/** Loads records: a JSON array, NDJSON or CSV body, streamed. */
export const POST = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  const report = await loadRecords(actor, domain, name, request.body, request.headers.get("content-type"));
  return Response.json(report);
});

export const GET = route(async (request, { params }: Context) => {
  await requireReader(request);
  const { domain, name } = await params;
  return Response.json(await listRecords(domain, name, Object.fromEntries(new URL(request.url).searchParams)));
});
