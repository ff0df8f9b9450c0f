import type { ReactNode } from "react";

/** Padding of a table cell. */
export const cell = "px-4 py-2.5";

/**
 * The portal's data table: a header row of column names, then body rows
 * divided by lines (`children`: the <tr> elements). Wrap it in a card with
 * overflow-x-auto where it can be wider than the page.
 */
export function Table({ columns, label, children }: { columns: ReactNode[]; label?: string; children: ReactNode }) {
  return (
    <table className="w-full text-sm" aria-label={label}>
      <thead className="text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        <tr className="border-b border-zinc-200 dark:border-zinc-800">
          {columns.map((column, index) => (
            <th key={index} scope="col" className={cell}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
    </table>
  );
}
