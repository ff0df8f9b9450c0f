import { requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { route } from "@/lib/http";
import { productSchemaVersion } from "@/lib/services/schema-versions";
import { schemaVersionNumberSchema } from "@/lib/validation/contracts";

type Context = { params: Promise<{ domain: string; name: string; number: string }> };

/** GET …/schema-versions/{n} — one schema version with its schema and the changes from the one before. */
export const GET = route(async (request, { params }: Context) => {
  const reader = await requireReader(request);
  const { domain, name, number } = await params;
  return Response.json(await productSchemaVersion(reader, { domain, name }, parseOrThrow(schemaVersionNumberSchema, number)));
});
