-- Background jobs claimed in the database, so that servers sharing it run
-- each job once (README "Several servers, one database"). A job (indexing a
-- product, an inference run) runs only on the server process whose lease it
-- holds: claimed atomically, renewed while it runs, deleted at its end. A
-- lease past `expires_at` belongs to a server that died: any server may take
-- the job over. `again` asks the holder to look for work once more before it
-- ends (more records arrived, the run was restarted on another server).
CREATE TABLE "job_leases" (
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "again" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "job_leases_pkey" PRIMARY KEY ("kind", "key")
);

-- Whether the current inference run re-transforms every record: the server
-- that picks a run up (it may not be the one that started it) reads it here.
ALTER TABLE "inference" ADD COLUMN "run_force" BOOLEAN NOT NULL DEFAULT false;
