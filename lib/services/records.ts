import { requireDomainWriter, requireRead, type Actor } from "../auth/guard";
import { findOutput, type StoredOutput } from "../db/inference";
import { findProduct, getProduct, getProductId } from "../db/products";
import { findRecord, recordsAfter, recordsPage, writeRecords, type StoredRecord } from "../db/records";
import { AppError } from "../errors";
import { formatOf, readRows, type ByteSource, type UploadFormat } from "../ingest/parse";
import { checkRecord, type FieldProblem, type RecordData } from "../mesh/records";
import type { ProductRef, RecordsSort } from "../paths";
import { recordsChanged } from "../search/indexer";
import type { InferenceStatus } from "../validation/inference";
import type { Product } from "../validation/product";
import { RECORDS_PAGE_SIZE, type RecordPage, type RecordsTableQuery } from "../validation/records";
import { afterLoad, loadStarted } from "./health";
import { enforceLoadRules, LoadRefused, type LoadRefusal } from "./quality";
import { inferenceStatusOf } from "./inference";

/** Loading and reading a product's records. */

export type { StoredRecord };

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
  /** Set when quality rules rejected the whole load (nothing stored). */
  refusedBy?: LoadRefusal["rules"];
}

/**
 * Validates every row against the product's schema and upserts the valid ones
 * by primary key, all in one transaction: a failure stores nothing, and so
 * does a load after which an error rule that rejects loads fails. Rows are
 * read, checked and written in batches, so memory does not grow with the file.
 */
export async function loadRecords(
  actor: Actor,
  { domain, name }: ProductRef,
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
  const startedAt = await loadStarted();
  const firstIndexOfKey = new Map<string, number>();
  const reject = (rejection: Rejection) => {
    report.rejectedTotal++;
    if (report.rejected.length < MAX_REPORTED_REJECTIONS) report.rejected.push(rejection);
  };

  const outcome = await writeRecords(product.id, async (upsert, tx) => {
    let batch: { key: string; data: RecordData }[] = [];
    for await (const row of readRows(body, format)) {
      if ("error" in row) {
        reject({ index: row.index, errors: [{ field: "(record)", message: row.error }] });
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
        await upsert(batch);
        report.accepted += batch.length;
        batch = [];
      }
    }
    await upsert(batch);
    report.accepted += batch.length;
    await enforceLoadRules(tx, product, firstIndexOfKey);
    return report.accepted;
  }).then(
    () => report,
    (error: unknown) => (error instanceof LoadRefused ? refusedReport(report, error.refusal) : Promise.reject(error)),
  );
  if (outcome.accepted > 0) await recordsChanged(product.id);
  await afterLoad(product.id, startedAt, outcome);
  return outcome;
}

/** A load refused by quality rules: nothing stored; its failing rows join the rows the schema rejected. */
function refusedReport(report: LoadReport, refusal: LoadRefusal): LoadReport {
  return {
    accepted: 0,
    rejected: [...report.rejected, ...refusal.rows].sort((a, b) => a.index - b.index).slice(0, MAX_REPORTED_REJECTIONS),
    rejectedTotal: report.rejectedTotal + refusal.rows.length,
    refusedBy: refusal.rules,
  };
}

/** Records in key order, a page at a time (keyset pagination). */
export async function listRecords(reader: Actor | null, { domain, name }: ProductRef, page: RecordPage) {
  requireRead(reader);
  return recordsAfter(await getProductId(domain, name), page);
}

/** The record; with AI inference output, `ai: { output, lineage }` beside its own `data`. */
export async function getRecord(
  reader: Actor | null,
  { domain, name }: ProductRef,
  key: string,
): Promise<StoredRecord & { ai?: StoredOutput }> {
  requireRead(reader);
  const productId = await getProductId(domain, name);
  const record = await findRecord(productId, key);
  if (!record) throw new AppError("not_found", `No record ${key} in ${domain}/${name}`);
  const ai = await findOutput(productId, record.key);
  return ai ? { ...record, ai } : record;
}

export type RecordsTable = RecordsSort & { sort: string; records: StoredRecord[]; pages: number };

/**
 * A page of the product page's records table, sorted by a schema field
 * (numerically for integer and number fields); the primary key by default.
 * An unknown field or a page past the end falls back to a valid one.
 */
export async function recordsTable(reader: Actor | null, product: Product, { sort, dir, page }: RecordsTableQuery): Promise<RecordsTable> {
  requireRead(reader);
  const field =
    product.schema.fields.find((candidate) => candidate.name === sort) ??
    product.schema.fields.find((candidate) => candidate.name === product.schema.primaryKey)!;
  const pages = Math.max(1, Math.ceil(product.recordCount / RECORDS_PAGE_SIZE));
  const current = Math.min(page, pages);
  const records = await recordsPage(product.id, {
    field: field.name,
    numeric: field.type === "integer" || field.type === "number",
    direction: dir,
    limit: RECORDS_PAGE_SIZE,
    offset: (current - 1) * RECORDS_PAGE_SIZE,
  });
  return { sort: field.name, dir, page: current, pages, records };
}

export interface RecordView {
  product: Product;
  record: StoredRecord;
  inference: InferenceStatus;
  /** The record's stored AI output with its lineage, if any. */
  ai: StoredOutput | null;
}

/** The record page: the record, its product, and its AI output; null when either does not exist. */
export async function recordView(reader: Actor | null, { domain, name }: ProductRef, key: string): Promise<RecordView | null> {
  requireRead(reader);
  const product = await findProduct(domain, name);
  const record = product ? await findRecord(product.id, key) : null;
  if (!product || !record) return null;
  const [inference, ai] = await Promise.all([inferenceStatusOf(product.id), findOutput(product.id, record.key)]);
  return { product, record, inference, ai };
}
