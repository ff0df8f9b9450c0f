import "server-only";
import { AppError } from "../errors";
import type { RecordData } from "../mesh/records";
import type { ProductSchema } from "../validation/product";
import { db, type Db } from "./client";
import { flushLexicalIndex, indexRecordsLexically } from "./lexical";
import type { Prisma } from "./generated/client";

/** Record queries. Records are keyed by product and primary-key value. */

type Tx = Prisma.TransactionClient | Db;

export interface StoredRecord {
  key: string;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

const toStored = (row: { key: string; data: unknown; createdAt: Date; updatedAt: Date }): StoredRecord => ({
  key: row.key,
  data: row.data as Record<string, unknown>,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * Inserts or replaces records by key; unchanged records keep their updated
 * time. Each keeps its event time, the value of `eventTimeField` (the
 * product's sla.eventTimeField, if any). The new and changed ones are indexed
 * lexically in the same transaction. Returns how many were added and changed.
 */
async function upsertRecords(tx: Tx, productId: string, eventTimeField: string | null, rows: { key: string; data: RecordData }[]): Promise<Written> {
  if (rows.length === 0) return { added: 0, changed: 0 };
  // A new record is created and updated by this statement (now() is the transaction's time); a changed one was created before.
  const written = await tx.$queryRaw<{ key: string; added: boolean }[]>`
    INSERT INTO records (product_id, key, data, event_at, created_at, updated_at)
    SELECT ${productId}::uuid, k, d, (d->>${eventTimeField}::text)::timestamptz, now(), now()
    FROM unnest(${rows.map((row) => row.key)}::text[], ${rows.map((row) => JSON.stringify(row.data))}::jsonb[]) AS t(k, d)
    ON CONFLICT (product_id, key) DO UPDATE SET data = EXCLUDED.data, event_at = EXCLUDED.event_at, updated_at = now()
    WHERE records.data IS DISTINCT FROM EXCLUDED.data
    RETURNING key, created_at = updated_at AS added`;
  await indexRecordsLexically(tx, productId, written.map((row) => row.key));
  const added = written.filter((row) => row.added).length;
  return { added, changed: written.length - added };
}

/** Recomputes the event time of every record of the product from `eventTimeField` (null: none), when that field changes. */
export async function setEventTimes(tx: Tx, productId: string, eventTimeField: string | null): Promise<void> {
  await tx.$executeRaw`
    UPDATE records SET event_at = (data->>${eventTimeField}::text)::timestamptz
    WHERE product_id = ${productId}::uuid AND event_at IS DISTINCT FROM (data->>${eventTimeField}::text)::timestamptz`;
}

/** Sets the product's last-loaded time; not its updated time, which tracks changes to its definition. */
async function markLoaded(tx: Tx, productId: string): Promise<void> {
  await tx.$executeRaw`UPDATE products SET last_loaded_at = clock_timestamp() WHERE id = ${productId}::uuid`;
}

/** What a load wrote: records added, and records whose data changed (rows identical to the stored record write nothing). */
export interface Written {
  added: number;
  changed: number;
}

export type UpsertRecords = (rows: { key: string; data: RecordData }[]) => Promise<void>;

/**
 * One load of records in one transaction: `work` upserts batches through the
 * function it is given (and may run checks in the transaction it is given)
 * and returns how many records it accepted; a failure stores nothing. A load
 * that accepted records sets the last-loaded time. Returns what it wrote.
 * The rows were checked against `checkedAgainst`: if the product's schema is
 * no longer that one, nothing is written (409).
 */
export async function writeRecords(
  productId: string,
  checkedAgainst: ProductSchema,
  work: (upsert: UpsertRecords, tx: Prisma.TransactionClient) => Promise<number>,
): Promise<Written> {
  return db().$transaction(
    async (tx) => {
      // The rows were checked before this transaction: the product must still have that schema.
      const [current] = await tx.$queryRaw<{ schema: unknown; eventTimeField: string | null }[]>`
        SELECT schema, sla->>'eventTimeField' AS "eventTimeField" FROM products WHERE id = ${productId}::uuid FOR UPDATE`;
      if (!current) throw new AppError("not_found", "The product was deleted while the upload was read; nothing was stored");
      if (JSON.stringify(current.schema) !== JSON.stringify(checkedAgainst)) {
        throw new AppError("conflict", "The product's schema changed while the upload was read; nothing was stored: load the file again");
      }
      const written: Written = { added: 0, changed: 0 };
      const accepted = await work(async (rows) => {
        const { added, changed } = await upsertRecords(tx, productId, current.eventTimeField, rows);
        written.added += added;
        written.changed += changed;
      }, tx);
      await flushLexicalIndex(tx, productId);
      if (accepted > 0) await markLoaded(tx, productId);
      return written;
    },
    { maxWait: 30_000, timeout: 30 * 60_000 },
  );
}

export function countRecords(productId: string): Promise<number> {
  return db().record.count({ where: { productId } });
}

/** Keyset pagination in key order: the page after `cursor`. */
export async function recordsAfter(
  productId: string,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
  const rows = await db().record.findMany({
    where: { productId, ...(cursor ? { key: { gt: cursor } } : {}) },
    orderBy: { key: "asc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit).map(toStored);
  return { records: page, nextCursor: rows.length > limit ? page.at(-1)!.key : null };
}

/**
 * A page of records sorted by one schema field (as typed JSON, so numbers sort
 * as numbers), then by key; without `field`, by key alone. `field` must be a
 * field of the product's schema.
 */
export async function recordsPage(
  productId: string,
  { field, numeric, direction, limit, offset }: { field?: string; numeric: boolean; direction: "asc" | "desc"; limit: number; offset: number },
): Promise<StoredRecord[]> {
  const order = direction === "desc" ? "DESC" : "ASC";
  const rows = field
    ? await db().$queryRawUnsafe<{ key: string; data: unknown; createdAt: Date; updatedAt: Date }[]>(
        `SELECT key, data, created_at AS "createdAt", updated_at AS "updatedAt" FROM records
         WHERE product_id = $1::uuid
         ORDER BY ${numeric ? "(data->>$2)::numeric" : "data->>$2"} ${order} NULLS LAST, key ${order}
         LIMIT $3 OFFSET $4`,
        productId,
        field,
        limit,
        offset,
      )
    : await db().record.findMany({ where: { productId }, orderBy: { key: direction }, take: limit, skip: offset });
  return rows.map(toStored);
}

export async function findRecord(productId: string, key: string): Promise<StoredRecord | null> {
  const row = await db().record.findUnique({ where: { productId_key: { productId, key } } });
  return row ? toStored(row) : null;
}

export async function recordsByKeys(productId: string, keys: string[]): Promise<Map<string, StoredRecord>> {
  const rows = await db().record.findMany({ where: { productId, key: { in: keys } } });
  return new Map(rows.map((row) => [row.key, toStored(row)]));
}
