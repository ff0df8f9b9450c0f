import { requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { route, searchParams } from "@/lib/http";
import { discover } from "@/lib/services/discovery";
import { discoveryQuerySchema } from "@/lib/validation/discovery";

/** GET /api/discovery?q=&k= — products ranked for a question. */
export const GET = route(async (request) => {
  const reader = await requireReader(request);
  return Response.json(await discover(reader, parseOrThrow(discoveryQuerySchema, searchParams(request))));
});
