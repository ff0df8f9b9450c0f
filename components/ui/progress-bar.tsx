import type { ReactNode } from "react";

const TONE = { indigo: "bg-indigo-600", violet: "bg-violet-600" } as const;

/** A labelled progress bar: `done` of `total`, with a caption and the percentage above it. */
export function ProgressBar({
  label,
  caption,
  done,
  total,
  tone = "indigo",
}: {
  label: string;
  caption: ReactNode;
  done: number;
  total: number;
  tone?: keyof typeof TONE;
}) {
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  return (
    <div>
      <div className="flex justify-between text-xs text-zinc-500 dark:text-zinc-400">
        <span>{caption}</span>
        <span>{percent}%</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        className="mt-1 h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div className={`h-full rounded-full ${TONE[tone]} transition-all`} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
