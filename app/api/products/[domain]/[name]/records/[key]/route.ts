import { route } from "@/lib/http";
import { getRecord } from "@/lib/records";

type Context = { params: Promise<{ domain: string; name: string; key: string }> };

export const GET = route(async (_request, { params }: Context) => {
  const { domain, name, key } = await params;
  return Response.json(await getRecord(domain, name, key));
});
