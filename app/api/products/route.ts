import { readJson, route } from "@/lib/http";
import { listProducts, registerProduct } from "@/lib/products";

export const POST = route(async (request) => {
  const product = await registerProduct(await readJson(request));
  return Response.json(product, { status: 201, headers: { Location: `/api/products/${product.domain}/${product.name}` } });
});

export const GET = route(async (request) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const { products, total } = await listProducts(params);
  return Response.json({ products, total });
});
