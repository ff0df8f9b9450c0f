import { requireReader } from "@/lib/auth/guard";
import { route } from "@/lib/http";
import { getRecord } from "@/lib/records";

type Context = { params: Promise<{ domain: string; name: string; key: string }> };

export const GET = route(async (request, { params }: Context) => {
  await requireReader(request);
  const { domain, name, key } = await params;
  return Response.json(await getRecord(domain, name, key));
});
