import { requireReader } from "@/lib/auth/guard";
import { route, yamlResponse, type ProductContext } from "@/lib/http";
import { exportOdcs } from "@/lib/services/contracts";

/** GET …/odcs.yaml — the product's contract (schema, SLA) as an Open Data Contract Standard v3.1.0 document. */
export const GET = route(async (request, { params }: ProductContext) => {
  const reader = await requireReader(request);
  const product = await params;
  return yamlResponse(await exportOdcs(reader, product), `${product.name}.odcs.yaml`);
});
