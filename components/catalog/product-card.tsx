import Link from "next/link";
import { productPath } from "@/lib/paths";
import type { Product } from "@/lib/validation/product";
import { HealthBadge } from "../health/health-badge";
import { StatusBadge, Tag } from "../ui/badges";
import { card } from "../ui/styles";

/** `reasons`: why the product matched a search by meaning. */
export function ProductCard({ product, reasons }: { product: Product; reasons?: string[] }) {
  const href = productPath(product);
  return (
    <article
      className={`${card} group relative flex h-full flex-col p-5 transition hover:border-indigo-300 hover:shadow-md dark:hover:border-indigo-500/50 ${product.status === "deprecated" ? "opacity-75" : ""}`}
    >
      <div className="flex items-center justify-between gap-2 text-xs">
        <span className="font-mono text-zinc-500 dark:text-zinc-400">{product.domain}</span>
        <span className="flex items-center gap-1.5">
          <HealthBadge status={product.health} />
          <StatusBadge status={product.status} />
        </span>
      </div>
      <h2 className="mt-2 text-base font-semibold tracking-tight">
        <Link href={href} className="after:absolute after:inset-0 focus-visible:outline-none">
          {product.title}
        </Link>
      </h2>
      <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">
        {product.domain}/{product.name}
      </p>
      <p className="mt-3 mb-4 line-clamp-3 text-sm text-zinc-600 dark:text-zinc-300">{product.description || "No description."}</p>
      {product.capabilities.semanticSearch ? (
        <p className="mb-3 flex flex-wrap gap-1.5 text-xs">
          <span
            className={`rounded-full px-2 py-0.5 font-medium ${
              product.capabilities.semanticSearch === "ready"
                ? "bg-sky-50 text-sky-700 dark:bg-sky-500/10 dark:text-sky-300"
                : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400"
            }`}
            title={`Semantic search: ${product.capabilities.semanticSearch}`}
          >
            ✦ Semantic search{product.capabilities.semanticSearch === "ready" ? "" : ` (${product.capabilities.semanticSearch})`}
          </span>
        </p>
      ) : null}
      {reasons?.length ? (
        <ul className="mb-3 space-y-0.5 text-xs text-indigo-700 dark:text-indigo-300" aria-label="Why it matched">
          {reasons.map((reason) => (
            <li key={reason}>↳ {reason}</li>
          ))}
        </ul>
      ) : null}
      {product.tags.length > 0 && (
        <div className="mt-3 flex flex-wrap gap-1.5">
          {product.tags.slice(0, 5).map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </div>
      )}
      <dl className="mt-auto flex justify-between gap-3 border-t border-zinc-100 pt-3 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        <div className="min-w-0">
          <dt className="sr-only">Owner</dt>
          <dd className="truncate" title={product.owner}>
            {product.owner}
          </dd>
        </div>
        <div className="shrink-0 text-right">
          <dt className="sr-only">Records</dt>
          <dd>
            {product.recordCount.toLocaleString("en")} record{product.recordCount === 1 ? "" : "s"}
          </dd>
        </div>
      </dl>
    </article>
  );
}
