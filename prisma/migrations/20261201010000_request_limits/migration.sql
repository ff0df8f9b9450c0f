-- The portal's rate limits (chat, the federated query, failed sign-ins per
-- account): one counter per limit and subject in a fixed window, shared by
-- every server process.
CREATE TABLE "request_limits" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "request_limits_pkey" PRIMARY KEY ("key")
);
