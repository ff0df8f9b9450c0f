import type { ReactNode } from "react";
import { displayValue } from "./format";
import { cell, Table } from "../ui/table";

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
    <Table columns={["Field", "Value", "Type"]} label={label}>
        {rows.map((row) => (
          <tr key={row.name} className="align-top">
            <th scope="row" className={`whitespace-nowrap ${cell} text-left font-normal`}>
              <span className="font-mono font-medium" title={row.description || undefined}>
                {row.name}
              </span>
              <span className="ml-2 inline-flex gap-1">{row.flags}</span>
            </th>
            <td className={`whitespace-pre-wrap break-words ${cell} text-zinc-800 dark:text-zinc-200`}>{displayValue(row.value)}</td>
            <td className={`${cell} font-mono text-zinc-600 dark:text-zinc-300`}>{row.type}</td>
          </tr>
        ))}
    </Table>
  );
}
