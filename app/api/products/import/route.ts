import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readYamlUploads, requireSameOrigin, route, searchParams } from "@/lib/http";
import { importContracts } from "@/lib/services/contracts";
import { importOptionsSchema } from "@/lib/validation/contracts";

/**
 * POST /api/products/import — ODPS and/or ODCS YAML (application/yaml, or
 * files in multipart/form-data) → the product created (201) or updated (200);
 * `?dryRun=true` reports the changes and stores nothing.
 */
export const POST = route(async (request) => {
  requireSameOrigin(request);
  const actor = await requireActor(request);
  const { texts, fields } = await readYamlUploads(request);
  const options = parseOrThrow(importOptionsSchema, { ...fields, ...searchParams(request) });
  const result = await importContracts(actor, texts, options);
  return Response.json(result, { status: result.action === "create" && !result.dryRun ? 201 : 200 });
});
