import type { Metadata } from "next";
import { Chat } from "@/components/chat/chat";
import { pageActor } from "@/lib/auth/page";
import { CHAT_PATH } from "@/lib/paths";
import { askableProducts } from "@/lib/services/chat";

export const metadata: Metadata = { title: "Ask" };
export const dynamic = "force-dynamic";

export default async function ChatPage() {
  const reader = await pageActor(CHAT_PATH, { allowVisitors: true });
  const products = await askableProducts(reader);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Ask the data mesh</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          One question, answered across the data products, with the records it comes from.
        </p>
      </div>
      <Chat products={products} />
    </div>
  );
}
