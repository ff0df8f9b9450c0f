/**
 * The report of a records load, kept small whatever the file: rows with the
 * same errors are listed a few times and then only counted ("and 1,180 more
 * rows with the same error"), and the listed rows stop at a row count and a
 * size budget. `rejectedTotal` always counts every rejected row.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Rejection {
  index: number;
  key?: string;
  errors: FieldProblem[];
}

export interface RepeatedRejections {
  /** The errors these rows share with rows listed in `rejected`. */
  errors: FieldProblem[];
  /** How many rows had them beyond the listed ones. */
  rows: number;
  message: string;
}

/** An error rule with rejectLoad that failed after a load's rows were written. */
export interface RefusingRule {
  rule: string;
  failing: number;
  expected: string;
  value: number | null;
}

export interface LoadReport {
  accepted: number;
  rejected: Rejection[];
  rejectedTotal: number;
  /** Rejected rows not listed because others with the same errors are. */
  repeated: RepeatedRejections[];
  /** Set when quality rules rejected the whole load (nothing stored). */
  refusedBy?: RefusingRule[];
}

/** At most this many rejected rows are listed one by one. */
export const MAX_LISTED_REJECTIONS = 1000;
/** Rows with the same errors listed before the rest are only counted. */
export const MAX_LISTED_ALIKE = 10;
/** Budget of the listed rows, as JSON: the report stays well under 1 MB. */
export const MAX_LISTED_BYTES = 512 * 1024;

const signature = (errors: FieldProblem[]) => JSON.stringify(errors);

export function moreRowsMessage(rows: number, errors: number): string {
  return `and ${rows.toLocaleString("en")} more row${rows === 1 ? "" : "s"} with the same error${errors === 1 ? "" : "s"}`;
}

export class LoadReportBuilder {
  private readonly rejected: Rejection[] = [];
  private readonly alike = new Map<string, { errors: FieldProblem[]; listed: number; more: number }>();
  private bytes = 0;
  private total = 0;

  reject(rejection: Rejection): void {
    this.total++;
    const key = signature(rejection.errors);
    const seen = this.alike.get(key);
    if (seen && seen.listed >= MAX_LISTED_ALIKE) {
      seen.more++;
      return;
    }
    const size = JSON.stringify(rejection).length;
    if (this.rejected.length >= MAX_LISTED_REJECTIONS || this.bytes + size > MAX_LISTED_BYTES) return;
    this.rejected.push(rejection);
    this.bytes += size;
    if (seen) seen.listed++;
    else this.alike.set(key, { errors: rejection.errors, listed: 1, more: 0 });
  }

  get rejectedTotal(): number {
    return this.total;
  }

  report(accepted: number): LoadReport {
    const repeated = [...this.alike.values()]
      .filter((group) => group.more > 0)
      .map((group) => ({ errors: group.errors, rows: group.more, message: moreRowsMessage(group.more, group.errors.length) }));
    return { accepted, rejected: this.rejected, rejectedTotal: this.total, repeated };
  }
}
