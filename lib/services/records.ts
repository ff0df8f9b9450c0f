import { requireDomainWriter, requireRead, type Actor } from "../auth/guard";
import { findOutput, type StoredOutput } from "../db/inference";
import { findProduct, getAccessTarget, getProduct } from "../db/products";
import { findRecord, recordsAfter, recordsPage, writeRecords, type StoredRecord, type Written } from "../db/records";
import { env } from "../env";
import { AppError } from "../errors";
import { formatOf, readRows, type ByteSource, type UploadFormat } from "../ingest/parse";
import { charsetOf } from "../ingest/rows";
import { StagedRows } from "../ingest/staging";
import { withTimeouts } from "../ingest/timed";
import { LoadReportBuilder, type LoadReport, type Rejection } from "../mesh/load-report";
import { checkRecord, unknownColumnsProblem, type RecordData } from "../mesh/records";
import type { ProductRef, RecordsSort } from "../paths";
import { recordsChanged } from "../search/indexer";
import type { InferenceStatus } from "../validation/inference";
import type { Product } from "../validation/product";
import { RECORDS_PAGE_SIZE, type RecordPage, type RecordsTableQuery } from "../validation/records";
import { canReadProductRecords, requireRecordReader } from "./access";
import { afterLoad } from "./health";
import { enforceLoadRules, LoadRefused, type LoadRefusal } from "./quality";
import { inferenceStatusOf } from "./inference";

/** Loading and reading a product's records. */

export type { StoredRecord };

export const BATCH_SIZE = 500;

export type { LoadReport, Rejection };

/**
 * Loads an upload: every row is read and checked against the product's
 * schema first, the valid ones kept in a private temporary file, with no
 * database connection held while the client sends; then they are upserted by
 * primary key in one short transaction. A failure, a stalled upload (408), a
 * schema changed meanwhile (409) or an error rule that rejects loads failing
 * after the rows are written stores nothing.
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
  const config = env();
  const report = new LoadReportBuilder();
  const firstIndexOfKey = new Map<string, number>();
  const staged = await StagedRows.create<{ key: string; data: RecordData }>();
  let refusal: LoadRefusal | undefined;
  let written: Written = { added: 0, changed: 0 };
  try {
    const rows = readRows(withTimeouts(body, { idleMs: config.UPLOAD_IDLE_SECONDS * 1000, totalMs: config.UPLOAD_TIMEOUT_SECONDS * 1000 }), format, {
      charset: charsetOf(contentType),
      maxRecordBytes: config.RECORD_MAX_BYTES,
      onHeader: (columns) => {
        const problem = unknownColumnsProblem(product.schema, columns);
        if (problem) throw new AppError("validation", problem);
      },
    });
    for await (const row of rows) {
      if ("error" in row) {
        report.reject({ index: row.index, errors: [{ field: row.field ?? "(record)", message: row.error }] });
        continue;
      }
      const checked = checkRecord(product.schema, row.value, row.source);
      if (!checked.ok) {
        report.reject({ index: row.index, ...(checked.key === undefined ? {} : { key: checked.key }), errors: checked.errors });
        continue;
      }
      const first = firstIndexOfKey.get(checked.key);
      if (first !== undefined) {
        report.reject({
          index: row.index,
          key: checked.key,
          errors: [{ field: product.schema.primaryKey, message: `duplicate primary key: row ${first} of this load has it too` }],
        });
        continue;
      }
      firstIndexOfKey.set(checked.key, row.index);
      await staged.add({ key: checked.key, data: checked.data });
    }
    if (staged.size > 0) {
      refusal = await writeRecords(product.id, product.schema, async (upsert, tx) => {
        for await (const batch of staged.batches(BATCH_SIZE)) await upsert(batch);
        await enforceLoadRules(tx, product, firstIndexOfKey);
        return staged.size;
      }).then(
        (result) => {
          written = result;
          return undefined;
        },
        (error: unknown) => (error instanceof LoadRefused ? error.refusal : Promise.reject(error)),
      );
    }
  } finally {
    await staged.discard();
  }
  const outcome = refusal ? refusedReport(report, refusal) : report.report(staged.size);
  if (outcome.accepted > 0) await recordsChanged(product.id);
  await afterLoad(product.id, outcome, written);
  return outcome;
}

/** A load refused by quality rules: nothing stored; its failing rows join the rows the schema rejected. */
function refusedReport(report: LoadReportBuilder, refusal: LoadRefusal): LoadReport {
  for (const row of refusal.rows) report.reject(row);
  const refused = report.report(0);
  return { ...refused, rejected: refused.rejected.toSorted((a, b) => a.index - b.index), refusedBy: refusal.rules };
}

/** Records in key order, a page at a time (keyset pagination); a restricted product's only for its readers. */
export async function listRecords(reader: Actor | null, { domain, name }: ProductRef, page: RecordPage) {
  requireRead(reader);
  const product = await getAccessTarget(domain, name);
  await requireRecordReader(reader, product);
  return recordsAfter(product.id, page);
}

/** The record; with AI inference output, `ai: { output, lineage }` beside its own `data`. */
export async function getRecord(
  reader: Actor | null,
  { domain, name }: ProductRef,
  key: string,
): Promise<StoredRecord & { ai?: StoredOutput }> {
  requireRead(reader);
  const product = await getAccessTarget(domain, name);
  await requireRecordReader(reader, product);
  const productId = product.id;
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
  await requireRecordReader(reader, product);
  const field =
    product.schema.fields.find((candidate) => candidate.name === sort) ??
    product.schema.fields.find((candidate) => candidate.name === product.schema.primaryKey)!;
  const pages = Math.max(1, Math.ceil(product.recordCount / RECORDS_PAGE_SIZE));
  const current = Math.min(page, pages);
  const numeric = field.type === "integer" || field.type === "number";
  const records = await recordsPage(product.id, {
    // Sorted by a text primary key, the records' key column (indexed) holds the same text.
    field: field.name === product.schema.primaryKey && !numeric ? undefined : field.name,
    numeric,
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

/**
 * The record page: the record, its product, and its AI output; null when either does not exist.
 * A restricted product's record, for a reader without access: only the product, and `restricted`
 * (whether the key exists is not told either).
 */
export async function recordView(reader: Actor | null, { domain, name }: ProductRef, key: string): Promise<RecordView | { product: Product; restricted: true } | null> {
  requireRead(reader);
  const product = await findProduct(domain, name);
  if (product && !(await canReadProductRecords(reader, product))) return { product, restricted: true };
  const record = product ? await findRecord(product.id, key) : null;
  if (!product || !record) return null;
  const [inference, ai] = await Promise.all([inferenceStatusOf(product.id, product.recordCount), findOutput(product.id, record.key)]);
  return { product, record, inference, ai };
}
