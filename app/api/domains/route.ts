import { requireActor, requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route } from "@/lib/http";
import { domains, registerDomain } from "@/lib/services/accounts";
import { domainInputSchema } from "@/lib/validation/accounts";

export const POST = route(async (request) => {
  const actor = await requireActor(request);
  const domain = await registerDomain(actor, parseOrThrow(domainInputSchema, await readJson(request)));
  return Response.json(domain, { status: 201 });
});

export const GET = route(async (request) => {
  const reader = await requireReader(request);
  return Response.json({ domains: await domains(reader) });
});
