import { readJson, route } from "@/lib/http";
import { editProduct, getProduct, removeProduct } from "@/lib/products";

type Context = { params: Promise<{ domain: string; name: string }> };

export const GET = route(async (_request, { params }: Context) => {
  const { domain, name } = await params;
  return Response.json(await getProduct(domain, name));
});

export const PATCH = route(async (request, { params }: Context) => {
  const { domain, name } = await params;
  return Response.json(await editProduct(domain, name, await readJson(request)));
});

export const DELETE = route(async (_request, { params }: Context) => {
  const { domain, name } = await params;
  await removeProduct(domain, name);
  return new Response(null, { status: 204 });
});
