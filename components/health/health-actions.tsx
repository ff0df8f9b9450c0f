"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { button } from "../ui/styles";
import { checkNow } from "./api";

/** "Check now" (owners): runs the product's checks and shows the new result. */
export function CheckNowButton({ domain, name }: { domain: string; name: string }) {
  const router = useRouter();
  const check = useMutation({ mutationFn: () => checkNow({ domain, name }), onSuccess: () => router.refresh() });
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={`${button.ghost} whitespace-nowrap text-xs`} disabled={check.isPending} onClick={() => check.mutate()}>
        {check.isPending ? "Checking…" : "Check now"}
      </button>
      {check.error ? (
        <span role="alert" className="text-xs text-red-600 dark:text-red-400">
          {check.error.message}
        </span>
      ) : null}
    </span>
  );
}
