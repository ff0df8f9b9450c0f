import { requireActor, requireReader } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";
import { editProduct, getProduct, removeProduct } from "@/lib/products";

type Context = { params: Promise<{ domain: string; name: string }> };

export const GET = route(async (request, { params }: Context) => {
  await requireReader(request);
  const { domain, name } = await params;
  return Response.json(await getProduct(domain, name));
});

export const PATCH = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  return Response.json(await editProduct(actor, domain, name, await readJson(request)));
});

export const DELETE = route(async (request, { params }: Context) => {
  const actor = await requireActor(request);
  const { domain, name } = await params;
  await removeProduct(actor, domain, name);
  return new Response(null, { status: 204 });
});
