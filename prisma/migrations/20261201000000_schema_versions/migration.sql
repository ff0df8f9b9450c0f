-- Schema versions: every schema a product has had, numbered from 1, with the
-- changes from the previous version and whether any of them is breaking
-- (lib/mesh/schema-versions.ts). Written in the transaction of the product
-- change itself.
CREATE TABLE "schema_versions" (
    "product_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "product_version" TEXT NOT NULL,
    "schema" JSONB NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '[]',
    "breaking" BOOLEAN NOT NULL DEFAULT false,
    "actor_email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schema_versions_pkey" PRIMARY KEY ("product_id", "number"),
    CONSTRAINT "schema_versions_number_check" CHECK ("number" >= 1)
);

ALTER TABLE "schema_versions" ADD CONSTRAINT "schema_versions_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Products registered before versions existed start at version 1 with their current schema.
INSERT INTO "schema_versions" ("product_id", "number", "product_version", "schema", "actor_email", "created_at")
SELECT "id", 1, "version", "schema", 'system', "updated_at" FROM "products";
