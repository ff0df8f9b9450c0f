import { requireReader } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";
import { federatedQuery } from "@/lib/search/federated";

/** POST /api/query — one question across the relevant products. */
export const POST = route(async (request) => {
  await requireReader(request);
  return Response.json(await federatedQuery(await readJson(request)));
});
