import { requireReader } from "@/lib/auth/guard";
import { route, type ProductContext } from "@/lib/http";
import { productSchemaVersions } from "@/lib/services/schema-versions";

/** GET …/schema-versions — every schema the product has had, newest first, without the schemas. */
export const GET = route(async (request, { params }: ProductContext) => {
  const reader = await requireReader(request);
  const versions = await productSchemaVersions(reader, await params);
  return Response.json({ versions: versions.map(({ schema: _schema, ...summary }) => summary) });
});
