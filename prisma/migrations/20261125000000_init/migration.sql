-- pgvector is needed by the semantic search capability; enabling it here makes
-- a database without the extension fail on the first migration, not later.
CREATE EXTENSION IF NOT EXISTS vector;

-- Declared in ranking order: the catalog sorts on it, deprecated last.
CREATE TYPE "ProductStatus" AS ENUM ('active', 'draft', 'deprecated');

CREATE TABLE "products" (
    "id" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "owner" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "ProductStatus" NOT NULL DEFAULT 'draft',
    "version" TEXT NOT NULL DEFAULT '1.0.0',
    "schema" JSONB NOT NULL,
    "sla" JSONB NOT NULL DEFAULT '{}',
    "search_text" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "records" (
    "product_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "records_pkey" PRIMARY KEY ("product_id", "key")
);

CREATE UNIQUE INDEX "products_domain_name_key" ON "products"("domain", "name");
CREATE INDEX "products_status_idx" ON "products"("status");

ALTER TABLE "records" ADD CONSTRAINT "records_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
