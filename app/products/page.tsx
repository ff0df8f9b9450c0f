import type { Metadata } from "next";
import Link from "next/link";
import { CatalogFilters } from "@/components/catalog/catalog-filters";
import { Pagination } from "@/components/catalog/pagination";
import { ProductCard } from "@/components/catalog/product-card";
import { button } from "@/components/ui/styles";
import { pageActor } from "@/lib/auth/page";
import { canRegisterProducts } from "@/lib/mesh/permissions";
import { CATALOG_PATH, IMPORT_PRODUCTS_PATH, NEW_PRODUCT_PATH } from "@/lib/paths";
import { catalog } from "@/lib/services/products";
import { CATALOG_PAGE_SIZE, catalogQuerySchema } from "@/lib/validation/product";

export const metadata: Metadata = { title: "Catalog" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CatalogPage({ searchParams }: Props) {
  const actor = await pageActor(CATALOG_PATH, { allowVisitors: true });
  const canRegister = actor !== null && canRegisterProducts(actor);
  const query = catalogQuerySchema.parse(await searchParams);
  const byMeaning = query.mode === "meaning" && Boolean(query.q);
  const { products, total, reasons, facets } = await catalog(actor, query);
  const filtered = Boolean(query.q || query.domain || query.status || query.tag || query.health);
  const catalogEmpty = !filtered && total === 0;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Data products</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Every product published by the domain teams of your mesh.
          </p>
        </div>
        {canRegister ? (
          <div className="flex gap-2">
            <Link href={IMPORT_PRODUCTS_PATH} className={button.secondary}>
              Import YAML
            </Link>
            <Link href={NEW_PRODUCT_PATH} className={button.primary}>
              Register data product
            </Link>
          </div>
        ) : null}
      </div>

      {!catalogEmpty && <CatalogFilters query={query} domains={facets.domains} tags={facets.tags} />}

      {catalogEmpty ? (
        <EmptyState
          title="No data products yet"
          body="Register the first product of your mesh: its schema, owner and service levels."
          action={canRegister ? { href: NEW_PRODUCT_PATH, label: "Register data product" } : undefined}
        />
      ) : products.length === 0 ? (
        <EmptyState
          title="No products match"
          body="Try other keywords, or clear the filters to see the whole catalog."
          action={{ href: CATALOG_PATH, label: "Clear filters" }}
        />
      ) : (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
            {total} product{total === 1 ? "" : "s"}
            {filtered ? " match" : ""}
            {byMeaning ? ", ranked by meaning and keywords" : ""}
          </p>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {products.map((product) => (
              <li key={product.id}>
                <ProductCard product={product} reasons={reasons.get(product.id)} />
              </li>
            ))}
          </ul>
          {byMeaning ? null : <Pagination query={query} total={total} pageSize={CATALOG_PAGE_SIZE} />}
        </>
      )}
    </div>
  );
}

function EmptyState({ title, body, action }: { title: string; body: string; action?: { href: string; label: string } }) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 px-6 py-16 text-center dark:border-zinc-700">
      <h2 className="text-lg font-semibold">{title}</h2>
      <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">{body}</p>
      {action ? (
        <Link href={action.href} className={`${button.secondary} mt-6`}>
          {action.label}
        </Link>
      ) : null}
    </div>
  );
}
