"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { button } from "../ui/styles";
import { purge } from "./api";

/**
 * Purging records past retention (owners): a dry run first, which lists what
 * would go; the purge itself only after confirming that list.
 */
export function PurgeButton({ domain, name }: { domain: string; name: string }) {
  const router = useRouter();
  const dryRun = useMutation({ mutationFn: () => purge({ domain, name }, true) });
  const run = useMutation({ mutationFn: () => purge({ domain, name }, false), onSuccess: () => router.refresh() });
  const preview = dryRun.data;
  const error = dryRun.error ?? run.error;
  return (
    <div className="space-y-2 text-sm">
      {run.data ? (
        <p role="status" className="text-zinc-600 dark:text-zinc-300">
          Removed {run.data.removed.toLocaleString("en")} record{run.data.removed === 1 ? "" : "s"}.
        </p>
      ) : preview ? (
        <div className="space-y-2">
          <p role="status">
            {preview.expired.toLocaleString("en")} record{preview.expired === 1 ? "" : "s"} with an event time before{" "}
            <time dateTime={preview.cutoff}>{preview.cutoff.slice(0, 10)}</time>
            {preview.sample.length ? (
              <>
                {" "}
                (e.g. <span className="font-mono text-xs">{preview.sample.slice(0, 5).join(", ")}</span>)
              </>
            ) : null}
            .
          </p>
          {preview.expired > 0 ? (
            <div className="flex gap-2">
              <button type="button" className={button.danger} disabled={run.isPending} onClick={() => run.mutate()}>
                {run.isPending ? "Purging…" : `Purge ${preview.expired.toLocaleString("en")}`}
              </button>
              <button type="button" className={button.ghost} onClick={() => dryRun.reset()}>
                Cancel
              </button>
            </div>
          ) : null}
        </div>
      ) : (
        <button type="button" className={button.secondary} disabled={dryRun.isPending} onClick={() => dryRun.mutate()}>
          {dryRun.isPending ? "Counting…" : "Purge expired records…"}
        </button>
      )}
      {error ? (
        <p role="alert" className="text-red-600 dark:text-red-400">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
