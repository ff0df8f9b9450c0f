import type { Metadata } from "next";
import { Chat } from "@/components/chat/chat";
import { pageActor } from "@/lib/auth/page";
import { CHAT_PATH } from "@/lib/paths";
import { MAX_QUESTION_LENGTH } from "@/lib/validation/chat";
import { MAX_PRODUCTS_PER_QUERY } from "@/lib/validation/discovery";
import { askableProducts } from "@/lib/services/chat";
import { PageHeader } from "@/components/ui/section";

export const metadata: Metadata = { title: "Ask" };
export const dynamic = "force-dynamic";

export default async function ChatPage() {
  const reader = await pageActor(CHAT_PATH, { allowVisitors: true });
  const products = await askableProducts(reader);
  return (
    <div className="space-y-6">
      <PageHeader title="Ask the data mesh">
          One question, answered across the data products, with the records it comes from.
        </PageHeader>
      <Chat products={products} limits={{ questionLength: MAX_QUESTION_LENGTH, products: MAX_PRODUCTS_PER_QUERY }} />
    </div>
  );
}
