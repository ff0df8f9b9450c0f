import { requireReader } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";
import { answeredQuery } from "@/lib/answers/query";

/** POST /api/query — one question across the relevant products: their records, plans and answers. */
export const POST = route(async (request) => {
  await requireReader(request);
  return Response.json(await answeredQuery(await readJson(request)));
});
