import type { Metadata } from "next";
import Link from "next/link";
import { CatalogFilters } from "@/components/catalog/catalog-filters";
import { Pagination } from "@/components/catalog/pagination";
import { ProductCard } from "@/components/catalog/product-card";
import { button } from "@/components/ui/styles";
import { pageActor } from "@/lib/auth/page";
import { productFacets } from "@/lib/db/products";
import { canRegisterProducts } from "@/lib/mesh/permissions";
import { listProducts } from "@/lib/products";
import { rankProducts } from "@/lib/search/discovery";
import { CATALOG_PAGE_SIZE, catalogQuerySchema, type CatalogQuery } from "@/lib/validation/product";

export const metadata: Metadata = { title: "Catalog" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CatalogPage({ searchParams }: Props) {
  const actor = await pageActor("/products", { allowVisitors: true });
  const canRegister = actor !== null && canRegisterProducts(actor);
  const query = catalogQuerySchema.parse(await searchParams);
  const byMeaning = query.mode === "meaning" && Boolean(query.q);
  const [{ products, total, reasons }, facets] = await Promise.all([
    byMeaning ? rankedByMeaning(query) : listProducts({
      q: query.q,
      domain: query.domain,
      status: query.status,
      tag: query.tag,
      limit: CATALOG_PAGE_SIZE,
      offset: (query.page - 1) * CATALOG_PAGE_SIZE,
    }).then((page) => ({ ...page, reasons: new Map<string, string[]>() })),
    productFacets(),
  ]);
  const filtered = Boolean(query.q || query.domain || query.status || query.tag);
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
          <Link href="/products/new" className={button.primary}>
            Register data product
          </Link>
        ) : null}
      </div>

      {!catalogEmpty && <CatalogFilters query={query} domains={facets.domains} tags={facets.tags} />}

      {catalogEmpty ? (
        <EmptyState
          title="No data products yet"
          body="Register the first product of your mesh: its schema, owner and service levels."
          action={canRegister ? { href: "/products/new", label: "Register data product" } : undefined}
        />
      ) : products.length === 0 ? (
        <EmptyState
          title="No products match"
          body="Try other keywords, or clear the filters to see the whole catalog."
          action={{ href: "/products", label: "Clear filters" }}
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

/** The best products for the question by meaning and keywords (discovery), then the filters. */
async function rankedByMeaning(query: CatalogQuery) {
  const ranked = (await rankProducts(query.q!, CATALOG_PAGE_SIZE * 2)).filter(
    ({ product }) =>
      (!query.domain || product.domain === query.domain) &&
      (!query.status || product.status === query.status) &&
      (!query.tag || product.tags.includes(query.tag)),
  );
  const shown = ranked.slice(0, CATALOG_PAGE_SIZE);
  return {
    products: shown.map(({ product }) => product),
    total: shown.length,
    reasons: new Map(shown.map(({ product, reasons }) => [product.id, reasons])),
  };
}
