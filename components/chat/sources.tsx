import Link from "next/link";
import { productPath } from "@/lib/paths";
import type { SourcesData } from "@/lib/validation/chat";

const STATUS = {
  ok: { icon: "●", style: "text-emerald-600 dark:text-emerald-400", label: "searched" },
  skipped: { icon: "○", style: "text-zinc-400", label: "skipped" },
  error: { icon: "▲", style: "text-red-600 dark:text-red-400", label: "failed" },
  restricted: { icon: "◆", style: "text-amber-600 dark:text-amber-400", label: "restricted" },
} as const;

/** The products a question consulted, before the answer: searched, skipped, failed or restricted, and why. */
export function Sources({ data }: { data: SourcesData }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 text-xs dark:border-zinc-800 dark:bg-zinc-900/60" aria-label="Products consulted">
      <p className="font-medium text-zinc-600 dark:text-zinc-300">
        Consulted {data.products.length} product{data.products.length === 1 ? "" : "s"} · {data.timings.totalMs} ms
      </p>
      <ul className="mt-1.5 space-y-1">
        {data.products.map((product) => {
          const status = STATUS[product.status];
          return (
            <li key={`${product.domain}/${product.name}`} className="flex flex-wrap items-baseline gap-x-2">
              <span aria-hidden className={status.style}>
                {status.icon}
              </span>
              <Link href={productPath(product)} className="font-medium text-zinc-800 hover:underline dark:text-zinc-100">
                {product.title}
              </Link>
              <span className="text-zinc-500 dark:text-zinc-400">
                {status.label}
                {product.status === "ok" ? `: ${product.citations.length} record${product.citations.length === 1 ? "" : "s"} cited` : ""}
              </span>
              {product.requestAccess ? (
                <Link href={product.requestAccess} className="basis-full pl-4 text-indigo-600 hover:underline dark:text-indigo-400">
                  {product.reason ?? "restricted"}: its records were not read
                </Link>
              ) : product.reason ? (
                <span className="basis-full pl-4 text-zinc-500 dark:text-zinc-400">{product.reason}</span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
