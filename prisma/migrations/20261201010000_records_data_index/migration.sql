-- Equality conditions of the answer engine's plans (status = 'open',
-- resolved = false, customers_out = 6200) are JSON containment on the
-- records' data: a GIN index answers them without reading every record.
CREATE INDEX "records_data_path_idx" ON "records" USING gin ("data" jsonb_path_ops);
