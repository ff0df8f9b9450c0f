import { requireReader } from "@/lib/auth/guard";
import { route } from "@/lib/http";
import { discover } from "@/lib/search/discovery";

/** GET /api/discovery?q=&k= — products ranked for a question. */
export const GET = route(async (request) => {
  await requireReader(request);
  return Response.json(await discover(Object.fromEntries(new URL(request.url).searchParams)));
});
