-- A product's records version: bumped by every statement that inserts,
-- changes or removes any of its records, whatever path wrote them. A health
-- check reuses the quality measurements of the previous check when neither
-- the version nor the rules changed since (product_health.quality_measured),
-- instead of reading every record again.

ALTER TABLE "products" ADD COLUMN "records_version" BIGINT NOT NULL DEFAULT 0;

ALTER TABLE "product_health" ADD COLUMN "quality_measured" JSONB;

CREATE FUNCTION "records_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "products" SET "records_version" = "records_version" + 1
  WHERE "id" IN (SELECT DISTINCT "product_id" FROM "changed");
  RETURN NULL;
END
$$;

CREATE TRIGGER "records_inserted" AFTER INSERT ON "records"
  REFERENCING NEW TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "records_changed"();
CREATE TRIGGER "records_updated" AFTER UPDATE ON "records"
  REFERENCING NEW TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "records_changed"();
CREATE TRIGGER "records_deleted" AFTER DELETE ON "records"
  REFERENCING OLD TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "records_changed"();
