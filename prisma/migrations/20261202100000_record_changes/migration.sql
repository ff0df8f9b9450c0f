-- The records changed since a product's last health check, for its quality
-- counts: every statement that inserts, changes or removes records of a
-- product with quality rules logs, beside the records version it bumps, the
-- key of each record it touched and the record's data before (none for a
-- record it created). A check then counts only the changed records, before
-- and after, instead of every record, and forgets the entries it counted
-- (lib/db/quality.ts). An update that leaves a record's data as it was (its
-- event time recomputed) changes no count and is not logged.

CREATE TABLE "record_changes" (
  "product_id" UUID NOT NULL REFERENCES "products"("id") ON DELETE CASCADE,
  "version" BIGINT NOT NULL,
  "key" TEXT NOT NULL,
  "prior" JSONB,
  PRIMARY KEY ("product_id", "version", "key")
);

CREATE FUNCTION "records_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH bumped AS (
    UPDATE "products" SET "records_version" = "records_version" + 1
    WHERE "id" IN (SELECT DISTINCT "product_id" FROM "changed")
    RETURNING "id", "records_version", "quality"
  )
  INSERT INTO "record_changes" ("product_id", "version", "key", "prior")
  SELECT c."product_id", b."records_version", c."key", NULL
  FROM "changed" c JOIN bumped b ON b."id" = c."product_id"
  WHERE b."quality" <> '[]'::jsonb;
  RETURN NULL;
END
$$;

CREATE FUNCTION "records_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH bumped AS (
    UPDATE "products" SET "records_version" = "records_version" + 1
    WHERE "id" IN (SELECT "product_id" FROM "old_rows" UNION SELECT "product_id" FROM "new_rows")
    RETURNING "id", "records_version", "quality"
  ),
  touched AS (
    -- A record whose data changed, as it was; one under a key that was not there before, as new.
    SELECT o."product_id", o."key", o."data" AS "prior" FROM "old_rows" o
    WHERE NOT EXISTS (SELECT FROM "new_rows" n WHERE n."product_id" = o."product_id" AND n."key" = o."key" AND n."data" = o."data")
    UNION ALL
    SELECT n."product_id", n."key", NULL FROM "new_rows" n
    WHERE NOT EXISTS (SELECT FROM "old_rows" o WHERE o."product_id" = n."product_id" AND o."key" = n."key")
  )
  INSERT INTO "record_changes" ("product_id", "version", "key", "prior")
  SELECT t."product_id", b."records_version", t."key", t."prior"
  FROM touched t JOIN bumped b ON b."id" = t."product_id"
  WHERE b."quality" <> '[]'::jsonb;
  RETURN NULL;
END
$$;

CREATE FUNCTION "records_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH bumped AS (
    UPDATE "products" SET "records_version" = "records_version" + 1
    WHERE "id" IN (SELECT DISTINCT "product_id" FROM "changed")
    RETURNING "id", "records_version", "quality"
  )
  INSERT INTO "record_changes" ("product_id", "version", "key", "prior")
  SELECT c."product_id", b."records_version", c."key", c."data"
  FROM "changed" c JOIN bumped b ON b."id" = c."product_id"
  WHERE b."quality" <> '[]'::jsonb;
  RETURN NULL;
END
$$;

DROP TRIGGER "records_inserted" ON "records";
DROP TRIGGER "records_updated" ON "records";
DROP TRIGGER "records_deleted" ON "records";
DROP FUNCTION "records_changed"();

CREATE TRIGGER "records_inserted" AFTER INSERT ON "records"
  REFERENCING NEW TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "records_inserted"();
CREATE TRIGGER "records_updated" AFTER UPDATE ON "records"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "records_updated"();
CREATE TRIGGER "records_deleted" AFTER DELETE ON "records"
  REFERENCING OLD TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "records_deleted"();

-- What earlier checks counted was not logged: the next check of each product counts every record once.
UPDATE "product_health" SET "quality_measured" = NULL;
