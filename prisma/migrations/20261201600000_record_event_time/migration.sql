-- A record's event time: the value of its product's sla.eventTimeField as a
-- timestamp, kept with the record when it is written (and for all the
-- product's records when the field changes), so that health checks read the
-- newest event time and the records past retention from an index instead of
-- parsing every record's JSON.

ALTER TABLE "records" ADD COLUMN "event_at" TIMESTAMPTZ;

UPDATE "records" r SET "event_at" = (r."data" ->> (p."sla" ->> 'eventTimeField'))::timestamptz
FROM "products" p
WHERE p."id" = r."product_id" AND p."sla" ? 'eventTimeField';

CREATE INDEX "records_product_id_event_at_idx" ON "records"("product_id", "event_at");
