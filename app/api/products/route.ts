import { requireActor, requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route, searchParams } from "@/lib/http";
import { productApiPath } from "@/lib/paths";
import { listProducts, registerProduct } from "@/lib/services/products";
import { productFiltersSchema, productInputSchema } from "@/lib/validation/product";

export const POST = route(async (request) => {
  const actor = await requireActor(request);
  const product = await registerProduct(actor, parseOrThrow(productInputSchema, await readJson(request)));
  return Response.json(product, { status: 201, headers: { Location: productApiPath(product) } });
});

export const GET = route(async (request) => {
  const reader = await requireReader(request);
  const { products, total } = await listProducts(reader, parseOrThrow(productFiltersSchema, searchParams(request)));
  return Response.json({ products, total });
});
