import { requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route, type ProductContext } from "@/lib/http";
import { measured } from "@/lib/services/health";
import { querySemantic } from "@/lib/services/semantic-search";
import { semanticQueryInputSchema } from "@/lib/validation/semantic-search";

export const POST = measured(
  "query",
  route(async (request, { params }: ProductContext) => {
    const reader = await requireReader(request);
    const product = await params;
    return Response.json(await querySemantic(reader, product, parseOrThrow(semanticQueryInputSchema, await readJson(request))));
  }),
);
