import { requireReader } from "@/lib/auth/guard";
import { route } from "@/lib/http";
import { measured } from "@/lib/services/health";
import { getRecord } from "@/lib/services/records";

type Context = { params: Promise<{ domain: string; name: string; key: string }> };

/** The record; with AI inference output, `ai: { output, lineage }` beside its own `data`. */
export const GET = measured(
  "read",
  route(async (request, { params }: Context) => {
    const reader = await requireReader(request);
    const { key, ...product } = await params;
    return Response.json(await getRecord(reader, product, key));
  }),
);
