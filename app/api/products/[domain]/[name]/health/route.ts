import { requireReader } from "@/lib/auth/guard";
import { route, type ProductContext } from "@/lib/http";
import { productHealth } from "@/lib/services/health";

/** The product's measured service levels and data quality, as last checked. */
export const GET = route(async (request, { params }: ProductContext) => {
  const reader = await requireReader(request);
  return Response.json(await productHealth(reader, await params));
});
