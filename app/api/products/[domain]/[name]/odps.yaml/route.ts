import { requireReader } from "@/lib/auth/guard";
import { route, yamlResponse, type ProductContext } from "@/lib/http";
import { exportOdps } from "@/lib/services/contracts";

/** GET …/odps.yaml — the product as an Open Data Product Standard v1.1.0 document. */
export const GET = route(async (request, { params }: ProductContext) => {
  const reader = await requireReader(request);
  const product = await params;
  return yamlResponse(await exportOdps(reader, product), `${product.name}.odps.yaml`);
});
