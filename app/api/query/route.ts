import { requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { rateLimitClient, readJson, route } from "@/lib/http";
import { federatedQuery } from "@/lib/services/discovery";
import { federatedQueryInputSchema } from "@/lib/validation/discovery";

/** POST /api/query — one question across the relevant products: their records, plans and answers. */
export const POST = route(async (request) => {
  const reader = await requireReader(request);
  const input = parseOrThrow(federatedQueryInputSchema, await readJson(request));
  return Response.json(await federatedQuery(reader, input, rateLimitClient(request, reader)));
});
