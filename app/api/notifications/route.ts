import { requireActor } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { route, searchParams } from "@/lib/http";
import { notifications } from "@/lib/services/notifications";
import { notificationListQuerySchema } from "@/lib/validation/notifications";

/** The signed-in user's notifications, newest first, with the unread count. */
export const GET = route(async (request) => {
  const actor = await requireActor(request);
  return Response.json(await notifications(actor, parseOrThrow(notificationListQuerySchema, searchParams(request))));
});
