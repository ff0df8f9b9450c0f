import { requireActor } from "@/lib/auth/guard";
import { route, type ProductContext } from "@/lib/http";
import { follow, following, unfollow } from "@/lib/services/notifications";

/** Whether the signed-in user follows the product. */
export const GET = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json(await following(actor, await params));
});

/** Follows the product: its events become the user's notifications. */
export const PUT = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json(await follow(actor, await params));
});

export const DELETE = route(async (request, { params }: ProductContext) => {
  const actor = await requireActor(request);
  return Response.json(await unfollow(actor, await params));
});
