-- Measured service levels, data quality and product health (README "Service levels and health").

-- A product's data-quality rules (ODCS v3 library metrics), part of its contract.
ALTER TABLE "products" ADD COLUMN "quality" JSONB NOT NULL DEFAULT '[]';

-- One row per load of records: when, how many rows it brought, what it did.
-- Update frequency and the volume band are measured on the successful ones.
CREATE TABLE "record_loads" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "rows" INTEGER NOT NULL,
    "added" INTEGER NOT NULL,
    "changed" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,

    CONSTRAINT "record_loads_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "record_loads_outcome_check" CHECK ("outcome" IN ('loaded', 'rejected'))
);
CREATE INDEX "record_loads_product_id_at_idx" ON "record_loads"("product_id", "at" DESC);
ALTER TABLE "record_loads" ADD CONSTRAINT "record_loads_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The portal's own request log of product reads and semantic queries:
-- availability and p95 latency are measured on it. Pruned by the scheduler.
CREATE TABLE "request_log" (
    "id" BIGSERIAL NOT NULL,
    "product_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "request_log_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "request_log_kind_check" CHECK ("kind" IN ('read', 'query'))
);
CREATE INDEX "request_log_product_id_at_idx" ON "request_log"("product_id", "at");
ALTER TABLE "request_log" ADD CONSTRAINT "request_log_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A product's current health (result: null until first checked) and its check
-- schedule. A server claims due products by moving next_check_at forward
-- (FOR UPDATE SKIP LOCKED), and every check of a product runs under a
-- transaction-level advisory lock on it: two servers on one database never
-- check the same product at once.
CREATE TABLE "product_health" (
    "product_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "checked_at" TIMESTAMPTZ(3),
    "result" JSONB,
    "next_check_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "product_health_pkey" PRIMARY KEY ("product_id"),
    CONSTRAINT "product_health_status_check" CHECK ("status" IN ('healthy', 'degraded', 'breached', 'unknown'))
);
CREATE INDEX "product_health_status_idx" ON "product_health"("status");
CREATE INDEX "product_health_next_check_at_idx" ON "product_health"("next_check_at");
ALTER TABLE "product_health" ADD CONSTRAINT "product_health_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every check run, for the compliance-over-time chart.
CREATE TABLE "health_runs" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "checked_at" TIMESTAMPTZ(3) NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "result" JSONB NOT NULL,

    CONSTRAINT "health_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "health_runs_trigger_check" CHECK ("trigger" IN ('schedule', 'load', 'manual'))
);
CREATE INDEX "health_runs_product_id_checked_at_idx" ON "health_runs"("product_id", "checked_at");
ALTER TABLE "health_runs" ADD CONSTRAINT "health_runs_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;
