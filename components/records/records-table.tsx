import Link from "next/link";
import { recordPath, recordsTablePath, type RecordsSort } from "@/lib/paths";
import type { StoredRecord } from "@/lib/services/records";
import type { ProductSchema } from "@/lib/validation/product";
import { RECORDS_PAGE_SIZE } from "@/lib/validation/records";
import { button, card } from "../ui/styles";
import { displayValue } from "./format";

type Props = {
  domain: string;
  name: string;
  schema: ProductSchema;
  records: StoredRecord[];
  total: number;
  pages: number;
  view: RecordsSort & { sort: string };
};

/** The records table: every schema field, the primary key first; headers sort, the key opens the record. */
export function RecordsTable({ domain, name, schema, records, total, pages, view }: Props) {
  const columns = [
    ...schema.fields.filter((field) => field.name === schema.primaryKey),
    ...schema.fields.filter((field) => field.name !== schema.primaryKey),
  ];
  const href = (changes: Partial<RecordsSort>) => recordsTablePath({ domain, name }, { ...view, ...changes });
  const first = (view.page - 1) * RECORDS_PAGE_SIZE + 1;

  return (
    <div className="space-y-3">
      <div className={`${card} overflow-x-auto`}>
        <table className="w-full text-sm">
          <caption className="sr-only">
            Records sorted by {view.sort}, {view.dir === "asc" ? "ascending" : "descending"}
          </caption>
          <thead className="text-left text-xs font-medium text-zinc-500 dark:text-zinc-400">
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              {columns.map((field) => {
                const sorted = field.name === view.sort;
                const next = sorted && view.dir === "asc" ? "desc" : "asc";
                return (
                  <th
                    key={field.name}
                    scope="col"
                    aria-sort={sorted ? (view.dir === "asc" ? "ascending" : "descending") : undefined}
                    className="whitespace-nowrap px-4 py-2.5"
                  >
                    <Link
                      href={href({ sort: field.name, dir: next, page: 1 })}
                      scroll={false}
                      title={`Sort by ${field.name}, ${next === "asc" ? "ascending" : "descending"}`}
                      className={`inline-flex items-center gap-1 font-mono hover:text-zinc-900 dark:hover:text-zinc-100 ${
                        sorted ? "text-zinc-900 dark:text-zinc-100" : ""
                      }`}
                    >
                      {field.name}
                      <span aria-hidden="true" className={sorted ? "" : "invisible"}>
                        {view.dir === "desc" && sorted ? "↓" : "↑"}
                      </span>
                    </Link>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {records.map((record) => (
              <tr key={record.key} className="align-top hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
                {columns.map((field) => {
                  const value = displayValue(record.data[field.name]);
                  return (
                    <td key={field.name} className="max-w-[14rem] truncate px-4 py-2.5 text-zinc-700 dark:text-zinc-300" title={value}>
                      {field.name === schema.primaryKey ? (
                        <Link
                          href={recordPath({ domain, name }, record.key)}
                          className="font-mono font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                        >
                          {record.key}
                        </Link>
                      ) : (
                        value
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav aria-label="Records pages" className="flex items-center justify-between">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Showing {first.toLocaleString("en")}–{(first + records.length - 1).toLocaleString("en")} of {total.toLocaleString("en")} · page{" "}
            {view.page} of {pages}
          </p>
          <div className="flex gap-2">
            {view.page > 1 ? (
              <Link href={href({ page: view.page - 1 })} scroll={false} className={button.secondary} rel="prev">
                Previous
              </Link>
            ) : null}
            {view.page < pages ? (
              <Link href={href({ page: view.page + 1 })} scroll={false} className={button.secondary} rel="next">
                Next
              </Link>
            ) : null}
          </div>
        </nav>
      ) : null}
    </div>
  );
}
