import type { Sla } from "@/lib/validation/product";
import { card } from "../ui/styles";

const ROWS: { key: keyof Sla; label: string; format: (value: number | string) => string }[] = [
  { key: "freshnessHours", label: "Freshness", format: (v) => `≤ ${v} h` },
  { key: "availabilityPercent", label: "Availability", format: (v) => `${v} %` },
  { key: "latencyMsP95", label: "Latency (p95)", format: (v) => `${Number(v).toLocaleString("en")} ms` },
  { key: "retentionDays", label: "Retention", format: (v) => `${Number(v).toLocaleString("en")} days` },
  { key: "updateFrequency", label: "Updated", format: (v) => String(v) },
];

export function SlaList({ sla }: { sla: Sla }) {
  return (
    <dl className={`${card} divide-y divide-zinc-100 text-sm dark:divide-zinc-800`}>
      {ROWS.map(({ key, label, format }) => {
        const value = sla[key];
        return (
          <div key={key} className="flex justify-between gap-4 px-4 py-2.5">
            <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
            <dd className="font-medium">{value === undefined ? <span className="text-zinc-400">not set</span> : format(value)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
