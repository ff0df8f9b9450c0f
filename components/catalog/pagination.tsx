import Link from "next/link";
import { catalogPath } from "@/lib/paths";
import type { CatalogQuery } from "@/lib/validation/product";
import { button } from "../ui/styles";

export function Pagination({ query, total, pageSize }: { query: CatalogQuery; total: number; pageSize: number }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages === 1) return null;
  const page = Math.min(query.page, pages);
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between border-t border-zinc-200 pt-4 dark:border-zinc-800">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Showing {first}–{last} of {total}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link href={catalogPath(query, { page: page - 1 })} className={button.secondary} rel="prev">
            Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link href={catalogPath(query, { page: page + 1 })} className={button.secondary} rel="next">
            Next
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
