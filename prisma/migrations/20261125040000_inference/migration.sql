-- The AI inference capability of a product; no row means disabled. The API
-- key is never stored: api_key_env names the server environment variable.
CREATE TABLE "inference" (
    "product_id" UUID NOT NULL,
    "endpoint" TEXT NOT NULL,
    "model" TEXT,
    "api_key_env" TEXT,
    "instructions" TEXT NOT NULL,
    "output_fields" JSONB NOT NULL,
    "labels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "run_status" TEXT,
    "run_generation" INTEGER NOT NULL DEFAULT 0,
    "run_processed" INTEGER NOT NULL DEFAULT 0,
    "run_failed" INTEGER NOT NULL DEFAULT 0,
    "run_total" INTEGER NOT NULL DEFAULT 0,
    "run_error" TEXT,
    "run_started_at" TIMESTAMPTZ(3),
    "run_finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inference_pkey" PRIMARY KEY ("product_id"),
    CONSTRAINT "inference_run_status_check" CHECK ("run_status" IN ('running', 'done', 'cancelled', 'failed'))
);

ALTER TABLE "inference" ADD CONSTRAINT "inference_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AI output per record, apart from the record's own data (merged when read),
-- with its lineage. A re-run replaces the row: idempotent.
CREATE TABLE "record_ai_outputs" (
    "product_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "output" JSONB NOT NULL,
    "model" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "generated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "record_ai_outputs_pkey" PRIMARY KEY ("product_id", "key")
);

ALTER TABLE "record_ai_outputs" ADD CONSTRAINT "record_ai_outputs_product_id_key_fkey"
    FOREIGN KEY ("product_id", "key") REFERENCES "records"("product_id", "key") ON DELETE CASCADE ON UPDATE CASCADE;
