"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/action-result";
import { CATALOG_PATH, productPath, type ProductRef } from "@/lib/paths";
import type { ProductStatus } from "@/lib/validation/product";
import { button, card } from "../ui/styles";

type LifecycleAction = (domain: string, name: string) => Promise<ActionResult<ProductRef>>;

type Props = {
  domain: string;
  name: string;
  status: ProductStatus;
  recordCount: number;
  /** The server actions the page hands in (app/products/actions.ts). */
  deprecate: LifecycleAction;
  remove: LifecycleAction;
};

/** Deprecate, or delete a product that holds no records. */
export function ProductLifecycle({ domain, name, status, recordCount, deprecate, remove }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();

  const run = (action: () => ReturnType<LifecycleAction>, then: string, confirmText: string) => {
    if (!window.confirm(confirmText)) return;
    setError(undefined);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        setError(result.error);
        return;
      }
      router.push(then);
      router.refresh();
    });
  };

  return (
    <section className={`${card} border-red-200 p-6 dark:border-red-900/60`} aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title" className="text-base font-semibold tracking-tight">
        Lifecycle
      </h2>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <div className="mt-4 space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {status === "deprecated"
              ? "This product is deprecated: it stays readable but ranks last in the catalog."
              : "Deprecating keeps the product and its records readable, marked as deprecated, and ranks it last."}
          </p>
          <button
            type="button"
            className={button.secondary}
            disabled={pending || status === "deprecated"}
            onClick={() => run(() => deprecate(domain, name), productPath({ domain, name }), `Deprecate ${domain}/${name}?`)}
          >
            Deprecate
          </button>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {recordCount > 0
              ? `It holds ${recordCount.toLocaleString("en")} records, so it cannot be deleted; deprecate it instead.`
              : "It holds no records and can be deleted for good."}
          </p>
          <button
            type="button"
            className={button.danger}
            disabled={pending || recordCount > 0}
            onClick={() => run(() => remove(domain, name), CATALOG_PATH, `Delete ${domain}/${name} for good?`)}
          >
            Delete
          </button>
        </div>
      </div>
    </section>
  );
}
