import { requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { route, searchParams, type ProductContext } from "@/lib/http";
import { productHealthHistory } from "@/lib/services/health";
import { historyQuerySchema } from "@/lib/validation/health";

/** Compliance over the last `days` days: freshness, latency and availability per day, quality pass rate per load. */
export const GET = route(async (request, { params }: ProductContext) => {
  const reader = await requireReader(request);
  return Response.json(await productHealthHistory(reader, await params, parseOrThrow(historyQuerySchema, searchParams(request))));
});
