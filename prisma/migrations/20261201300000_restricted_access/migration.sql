-- Restricted products and access requests. A product is 'public' (every
-- signed-in user reads its records) or 'restricted' (its catalog entry stays
-- visible; its records are read only by its domain's owners, admins and
-- users holding a current grant). A user asks for access with a purpose and
-- a duration; an owner approves (a grant that expires on its own) or denies.
CREATE TYPE "ProductVisibility" AS ENUM ('public', 'restricted');
ALTER TABLE "products" ADD COLUMN "visibility" "ProductVisibility" NOT NULL DEFAULT 'public';

CREATE TABLE "access_requests" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "product_id" UUID NOT NULL,
    "requester_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decided_by_email" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_requests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "access_requests_status_check" CHECK ("status" IN ('pending', 'approved', 'denied')),
    CONSTRAINT "access_requests_days_check" CHECK ("days" >= 1)
);
CREATE INDEX "access_requests_product_id_status_idx" ON "access_requests" ("product_id", "status");
CREATE INDEX "access_requests_requester_id_idx" ON "access_requests" ("requester_id");
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_requester_id_fkey"
    FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A grant lets one user read one restricted product's records until it
-- expires or is revoked; expired_logged marks the expiry written to the audit log.
CREATE TABLE "access_grants" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "product_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "request_id" UUID,
    "granted_by_email" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_email" TEXT,
    "expiry_logged" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_grants_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "access_grants_request_id_key" ON "access_grants" ("request_id");
CREATE INDEX "access_grants_user_id_expires_at_idx" ON "access_grants" ("user_id", "expires_at");
CREATE INDEX "access_grants_product_id_idx" ON "access_grants" ("product_id");
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_product_id_fkey"
    FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_request_id_fkey"
    FOREIGN KEY ("request_id") REFERENCES "access_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;
