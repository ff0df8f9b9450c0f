import { z } from "zod";

/** Record API bodies (for the OpenAPI document and tests) and the records table's URL query. */

export const fieldProblemSchema = z.object({
  field: z.string().describe('The field at fault, or "(record)" for the row as a whole'),
  message: z.string(),
});

export const loadReportSchema = z
  .object({
    accepted: z.number().int().describe("Rows stored (inserted, replaced or unchanged)"),
    rejected: z
      .array(
        z.object({
          index: z.number().int().describe("Position of the row in the upload, from 0 (a CSV header is not a row)"),
          key: z.string().optional().describe("The row's primary-key value, when it could be read"),
          errors: z.array(fieldProblemSchema),
        }),
      )
      .describe("Rejected rows, at most 1000 (and at most 512 KiB of them); rows whose errors were listed 10 times are counted in repeated; rejectedTotal counts all"),
    rejectedTotal: z.number().int(),
    refusedBy: z
      .array(z.object({ rule: z.string(), failing: z.number().int(), expected: z.string(), value: z.number().nullable() }))
      .optional()
      .describe("Present when error rules with rejectLoad failed after this load: the whole load was rejected and nothing stored"),
    repeated: z
      .array(
        z.object({
          errors: z.array(fieldProblemSchema).describe("The errors these rows share with rows listed in rejected"),
          rows: z.number().int().describe("How many more rows had them"),
          message: z.string().describe('e.g. "and 1,180 more rows with the same error"'),
        }),
      )
      .describe("Rejected rows not listed one by one because rows with the same errors are"),
  })
  .describe("Outcome of a load: valid rows are stored, invalid ones reported");

export const storedRecordSchema = z
  .object({
    key: z.string().describe("The primary-key value, as text"),
    data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe("Field values by field name"),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().describe("Last change of the data; re-loading an unchanged record keeps it"),
  })
  .describe("A record of a data product");

export const recordListSchema = z.object({
  records: z.array(storedRecordSchema),
  nextCursor: z.string().nullable().describe("Pass as cursor for the next page; null on the last page"),
});

export const RECORDS_PAGE_SIZE = 25;

/** The product page's records table query; invalid values fall back to the defaults. */
export const recordsTableQuerySchema = z.object({
  sort: z.string().min(1).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).default("asc").catch("asc"),
  page: z.coerce.number().int().min(1).default(1).catch(1),
});
export type RecordsTableQuery = z.infer<typeof recordsTableQuerySchema>;

/** GET .../records: keyset pagination. */
export const recordPageSchema = z.object({
  limit: z.coerce.number().int().min(1, "limit must be at least 1").max(1000, "limit must be at most 1000").default(100),
  cursor: z.string().min(1).optional(),
});
export type RecordPage = z.infer<typeof recordPageSchema>;
