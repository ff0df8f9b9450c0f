import { answerChat } from "@/lib/ai/chat";
import { readJson, route } from "@/lib/http";

/** The chat's streaming route (AI SDK UI message stream). */
export const POST = route(async (request) => {
  const client = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "local";
  return answerChat(await readJson(request), client);
});
