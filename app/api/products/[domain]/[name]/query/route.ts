import { requireReader } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";
import { querySemantic } from "@/lib/search/semantic-search";

type Context = { params: Promise<{ domain: string; name: string }> };

export const POST = route(async (request, { params }: Context) => {
  await requireReader(request);
  const { domain, name } = await params;
  return Response.json(await querySemantic(domain, name, await readJson(request)));
});
