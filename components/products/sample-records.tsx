import type { ProductSchema } from "@/lib/validation/product";
import { card } from "../ui/styles";

type Props = { schema: ProductSchema; records: { key: string; data: Record<string, unknown> }[] };

export function SampleRecords({ schema, records }: Props) {
  if (records.length === 0) {
    return (
      <p className={`${card} px-4 py-6 text-center text-sm text-zinc-500 dark:text-zinc-400`}>This product holds no records yet.</p>
    );
  }
  const columns = schema.fields.slice(0, 6);
  return (
    <div className={`${card} overflow-x-auto`}>
      <table className="w-full text-sm">
        <thead className="text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            {columns.map((field) => (
              <th key={field.name} scope="col" className="whitespace-nowrap px-4 py-2.5 font-mono normal-case">
                {field.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {records.map((record) => (
            <tr key={record.key} className="align-top">
              {columns.map((field) => (
                <td key={field.name} className="max-w-xs truncate px-4 py-2.5 text-zinc-700 dark:text-zinc-300" title={display(record.data[field.name])}>
                  {display(record.data[field.name])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function display(value: unknown): string {
  if (value === undefined || value === null) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}
