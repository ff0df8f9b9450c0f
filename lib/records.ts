import { requireDomainWriter, type Actor } from "./auth/guard";
import { AppError, parseOrThrow } from "./errors";
import { db } from "./db/client";
import { getProduct } from "./db/products";
import { findRecord, markLoaded, recordsAfter, upsertRecords } from "./db/records";
import { formatOf, readRows, type ByteSource, type UploadFormat } from "./ingest/parse";
import { charsetOf } from "./ingest/rows";
import { checkRecord, type FieldProblem, type RecordData } from "./mesh/records";
import { recordsChanged } from "./search/semantic-search";
import { z } from "zod";

/** Loading and reading a product's records. */

export const BATCH_SIZE = 500;
/** At most this many rejected rows are listed one by one; `rejectedTotal` counts all. */
export const MAX_REPORTED_REJECTIONS = 1000;

export interface Rejection {
  index: number;
  key?: string;
  errors: FieldProblem[];
}
export interface LoadReport {
  accepted: number;
  rejected: Rejection[];
  rejectedTotal: number;
}

/**
 * Validates every row against the product's schema and upserts the valid ones
 * by primary key, all in one transaction: a failure stores nothing. Rows are
 * read, checked and written in batches, so memory does not grow with the file.
 */
export async function loadRecords(
  actor: Actor,
  domain: string,
  name: string,
  body: ByteSource | null,
  contentType: string | null,
): Promise<LoadReport> {
  requireDomainWriter(actor, domain);
  const format: UploadFormat | undefined = formatOf(contentType);
  if (!format) {
    throw new AppError(
      "unsupported_media_type",
      `Send records as application/json (an array), application/x-ndjson or text/csv (got ${contentType || "none"})`,
    );
  }
  if (!body) throw new AppError("bad_request", "The request body is empty; send records");
  const product = await getProduct(domain, name);
  const report: LoadReport = { accepted: 0, rejected: [], rejectedTotal: 0 };
  const firstIndexOfKey = new Map<string, number>();
  const reject = (rejection: Rejection) => {
    report.rejectedTotal++;
    if (report.rejected.length < MAX_REPORTED_REJECTIONS) report.rejected.push(rejection);
  };

  await db().$transaction(
    async (tx) => {
      let batch: { key: string; data: RecordData }[] = [];
      for await (const row of readRows(body, format, { charset: charsetOf(contentType) })) {
        if ("error" in row) {
          reject({ index: row.index, errors: [{ field: row.field ?? "(record)", message: row.error }] });
          continue;
        }
        const checked = checkRecord(product.schema, row.value, row.source);
        if (!checked.ok) {
          reject({ index: row.index, ...(checked.key === undefined ? {} : { key: checked.key }), errors: checked.errors });
          continue;
        }
        const first = firstIndexOfKey.get(checked.key);
        if (first !== undefined) {
          reject({
            index: row.index,
            key: checked.key,
            errors: [{ field: product.schema.primaryKey, message: `duplicate primary key: row ${first} of this load has it too` }],
          });
          continue;
        }
        firstIndexOfKey.set(checked.key, row.index);
        batch.push({ key: checked.key, data: checked.data });
        if (batch.length === BATCH_SIZE) {
          await upsertRecords(tx, product.id, batch);
          report.accepted += batch.length;
          batch = [];
        }
      }
      await upsertRecords(tx, product.id, batch);
      report.accepted += batch.length;
      if (report.accepted > 0) await markLoaded(tx, product.id);
    },
    { maxWait: 30_000, timeout: 30 * 60_000 },
  );
  if (report.accepted > 0) await recordsChanged(product.id);
  return report;
}

export const recordPageSchema = z.object({
  limit: z.coerce.number().int().min(1, "limit must be at least 1").max(1000, "limit must be at most 1000").default(100),
  cursor: z.string().min(1).optional(),
});

export async function listRecords(domain: string, name: string, query: unknown) {
  const page = parseOrThrow(recordPageSchema, query);
  const product = await getProduct(domain, name);
  return recordsAfter(product.id, page);
}

export async function getRecord(domain: string, name: string, key: string) {
  const product = await getProduct(domain, name);
  const record = await findRecord(product.id, key);
  if (!record) throw new AppError("not_found", `No record ${key} in ${domain}/${name}`);
  return record;
}
