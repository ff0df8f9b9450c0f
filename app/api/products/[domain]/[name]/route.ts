import { requireActor, requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route, type ProductContext } from "@/lib/http";
import { measured } from "@/lib/services/health";
import { editProduct, getProduct, removeProduct } from "@/lib/services/products";
import { productUpdateSchema } from "@/lib/validation/product";

export const GET = measured(
  "read",
  route(async (request, { params }: ProductContext) => {
    const reader = await requireReader(request);
    return Response.json(await getProduct(reader, await params));
  }),
);

export const PATCH = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json(await editProduct(actor, await params, parseOrThrow(productUpdateSchema, await readJson(request))));
});

export const DELETE = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  await removeProduct(actor, await params);
  return new Response(null, { status: 204 });
});
