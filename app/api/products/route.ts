import { requireActor, requireReader } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";
import { listProducts, registerProduct } from "@/lib/products";

export const POST = route(async (request) => {
  const actor = await requireActor(request);
  const product = await registerProduct(actor, await readJson(request));
  return Response.json(product, { status: 201, headers: { Location: `/api/products/${product.domain}/${product.name}` } });
});

export const GET = route(async (request) => {
  await requireReader(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const { products, total } = await listProducts(params);
  return Response.json({ products, total });
});
