import type { ReactNode } from "react";
import { displayValue } from "./format";

/** One row of a record's field table: its name with markers, its value and type. */
export interface FieldValue {
  name: string;
  description?: string;
  type: string;
  value: unknown;
  flags: ReactNode;
}

/** A record's fields as a Field / Value / Type table (the record page's own and AI-derived fields). */
export function FieldValuesTable({ rows, label }: { rows: FieldValue[]; label?: string }) {
  return (
    <table className="w-full text-sm" aria-label={label}>
      <thead className="text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        <tr className="border-b border-zinc-200 dark:border-zinc-800">
          <th scope="col" className="px-4 py-2.5">Field</th>
          <th scope="col" className="px-4 py-2.5">Value</th>
          <th scope="col" className="px-4 py-2.5">Type</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {rows.map((row) => (
          <tr key={row.name} className="align-top">
            <th scope="row" className="whitespace-nowrap px-4 py-2.5 text-left font-normal">
              <span className="font-mono font-medium" title={row.description || undefined}>
                {row.name}
              </span>
              <span className="ml-2 inline-flex gap-1">{row.flags}</span>
            </th>
            <td className="whitespace-pre-wrap break-words px-4 py-2.5 text-zinc-800 dark:text-zinc-200">{displayValue(row.value)}</td>
            <td className="px-4 py-2.5 font-mono text-zinc-600 dark:text-zinc-300">{row.type}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
