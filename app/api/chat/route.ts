import { requireReader } from "@/lib/auth/guard";
import { parseOrThrow } from "@/lib/errors";
import { readJson, route } from "@/lib/http";
import { answerChat } from "@/lib/services/chat";
import { chatRequestSchema } from "@/lib/validation/chat";

/** The chat's streaming route (AI SDK UI message stream). */
export const POST = route(async (request) => {
  const reader = await requireReader(request);
  // Limits count per user; visitors (PUBLIC_READ) per address.
  const client = reader?.id ?? request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "visitor";
  return answerChat(reader, parseOrThrow(chatRequestSchema, await readJson(request)), client);
});
