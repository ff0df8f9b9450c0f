import type { HealthStatus } from "@/lib/mesh/health";

const STYLE: Record<HealthStatus, string> = {
  healthy: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-400 dark:ring-emerald-500/30",
  degraded: "bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-500/30",
  breached: "bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-500/30",
  unknown: "bg-zinc-100 text-zinc-600 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-400 dark:ring-zinc-600/40",
};

const DOT: Record<HealthStatus, string> = {
  healthy: "bg-emerald-500",
  degraded: "bg-amber-500",
  breached: "bg-red-500",
  unknown: "bg-zinc-400",
};

/** The product's measured health, as a pill with a coloured dot (the word carries the meaning, not the colour). */
export function HealthBadge({ status }: { status: HealthStatus }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLE[status]}`}
      title={`Health: ${status}`}
    >
      <span aria-hidden className={`size-1.5 rounded-full ${DOT[status]}`} />
      <span className="sr-only">Health: </span>
      {status}
    </span>
  );
}
