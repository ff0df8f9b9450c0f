"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { button } from "../ui/styles";
import { transformKey } from "./api";

/** "Transform" on a record page (owners): runs the product's inference on this record, stores the output, shows it. */
export function TransformButton({ domain, name, recordKey, hasOutput }: { domain: string; name: string; recordKey: string; hasOutput: boolean }) {
  const router = useRouter();
  const transform = useMutation({
    mutationFn: () => transformKey(domain, name, recordKey),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" className={button.primary} disabled={transform.isPending} onClick={() => transform.mutate()}>
        {transform.isPending ? "Transforming…" : hasOutput ? "Transform again" : "Transform"}
      </button>
      {transform.data ? (
        <span role="status" className="text-sm text-zinc-500 dark:text-zinc-400">
          Done in {transform.data.durationMs} ms with {transform.data.model}.
        </span>
      ) : null}
      {transform.error ? (
        <span role="alert" className="text-sm text-red-600 dark:text-red-400">
          {transform.error.message}
        </span>
      ) : null}
    </div>
  );
}
