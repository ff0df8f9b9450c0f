import { requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { rateLimitClient, readJson, route } from "@/lib/http";
import { answerChat } from "@/lib/services/chat";
import { chatRequestSchema } from "@/lib/validation/chat";

/** The chat's streaming route (AI SDK UI message stream). */
export const POST = route(async (request) => {
  const reader = await requireReader(request);
  return answerChat(reader, parseOrThrow(chatRequestSchema, await readJson(request)), rateLimitClient(request, reader));
});
