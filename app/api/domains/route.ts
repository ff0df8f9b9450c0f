import { listDomains, registerDomain } from "@/lib/accounts";
import { requireActor, requireReader } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";

export const POST = route(async (request) => {
  const actor = await requireActor(request);
  const domain = await registerDomain(actor, await readJson(request));
  return Response.json(domain, { status: 201 });
});

export const GET = route(async (request) => {
  await requireReader(request);
  return Response.json({ domains: await listDomains() });
});
