import { answerChat } from "@/lib/ai/chat";
import { requireReader } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http";

/** The chat's streaming route (AI SDK UI message stream). */
export const POST = route(async (request) => {
  const actor = await requireReader(request);
  // Limits count per user; visitors (PUBLIC_READ) per address.
  const client = actor?.id ?? request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "visitor";
  return answerChat(await readJson(request), client, actor?.id);
});
