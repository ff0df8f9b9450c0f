import { requireReader } from "@/lib/auth/guard";
import { findOutput } from "@/lib/db/inference";
import { route } from "@/lib/http";
import { getProduct } from "@/lib/products";
import { getRecord } from "@/lib/records";

type Context = { params: Promise<{ domain: string; name: string; key: string }> };

/** The record; with AI inference output, `ai: { output, lineage }` beside its own `data`. */
export const GET = route(async (request, { params }: Context) => {
  await requireReader(request);
  const { domain, name, key } = await params;
  const record = await getRecord(domain, name, key);
  const ai = await findOutput((await getProduct(domain, name)).id, record.key);
  return Response.json(ai ? { ...record, ai } : record);
});
