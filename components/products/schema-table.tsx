import type { OutputField } from "@/lib/validation/inference";
import type { ProductSchema } from "@/lib/validation/product";
import { card } from "../ui/styles";
import { cell, Table } from "../ui/table";

/** The product's fields, then the AI-derived fields of its inference (marked "AI"), which records carry once transformed. */
export function SchemaTable({ schema, aiFields = [] }: { schema: ProductSchema; aiFields?: OutputField[] }) {
  return (
    <div className={`${card} overflow-x-auto`}>
      <Table columns={["Field", "Type", "Description"]}>
          {schema.fields.map((field) => (
            <tr key={field.name} className="align-top">
              <td className={`whitespace-nowrap ${cell}`}>
                <span className="font-mono font-medium">{field.name}</span>
                <span className="ml-2 inline-flex gap-1">
                  {field.name === schema.primaryKey ? <Flag title="Primary key">key</Flag> : null}
                  {field.required ? <Flag title="Required">required</Flag> : null}
                  {field.pii ? <Flag title="Contains personal data" tone="warn">PII</Flag> : null}
                </span>
              </td>
              <td className={`${cell} font-mono text-zinc-600 dark:text-zinc-300`}>{field.type}</td>
              <td className={`${cell} text-zinc-600 dark:text-zinc-400`}>{field.description || "—"}</td>
            </tr>
          ))}
          {aiFields.map((field) => (
            <tr key={`ai-${field.name}`} className="align-top bg-violet-50/40 dark:bg-violet-500/5">
              <td className={`whitespace-nowrap ${cell}`}>
                <span className="font-mono font-medium">{field.name}</span>
                <span className="ml-2 inline-flex gap-1">
                  <Flag title="AI-derived: written by the product's AI inference, not loaded" tone="ai">AI</Flag>
                </span>
              </td>
              <td className={`${cell} font-mono text-zinc-600 dark:text-zinc-300`}>{field.type}</td>
              <td className={`${cell} text-zinc-600 dark:text-zinc-400`}>{field.description || "AI-derived field"}</td>
            </tr>
          ))}
      </Table>
    </div>
  );
}

export function Flag({ children, title, tone = "plain" }: { children: string; title: string; tone?: "plain" | "warn" | "ai" }) {
  const style =
    tone === "warn"
      ? "bg-rose-50 text-rose-700 dark:bg-rose-500/10 dark:text-rose-300"
      : tone === "ai"
        ? "bg-violet-100 text-violet-700 dark:bg-violet-500/15 dark:text-violet-300"
        : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300";
  return (
    <span title={title} className={`rounded px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide ${style}`}>
      {children}
    </span>
  );
}
