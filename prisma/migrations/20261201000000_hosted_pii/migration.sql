-- Whether a capability may send fields marked PII to hosted models (the chat
-- model for semantic search results, a hosted embedding or inference endpoint).
-- Off unless the product's owner allows it.
ALTER TABLE "semantic_search" ADD COLUMN "hosted_pii" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "inference" ADD COLUMN "hosted_pii" BOOLEAN NOT NULL DEFAULT false;
