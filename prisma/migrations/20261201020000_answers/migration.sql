-- The value catalog of a product (distinct values of its categorical text
-- fields, ranges of its numbers and dates), rebuilt when records are loaded;
-- loaded_at is the product's last_loaded_at it was built for.
CREATE TABLE "value_catalogs" (
    "product_id" UUID NOT NULL,
    "catalog" JSONB NOT NULL,
    "loaded_at" TIMESTAMPTZ(3),
    "built_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "value_catalogs_pkey" PRIMARY KEY ("product_id")
);

ALTER TABLE "value_catalogs" ADD CONSTRAINT "value_catalogs_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Chat conversations, per user: the messages as the chat streamed them
-- (text, sources and structured answers with their plans).
CREATE TABLE "conversations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "messages" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "conversations_user_id_updated_at_idx" ON "conversations"("user_id", "updated_at" DESC);

ALTER TABLE "conversations" ADD CONSTRAINT "conversations_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
