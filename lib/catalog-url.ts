import type { CatalogQuery } from "./validation/product";

/** The catalog URL for `query` with `changes` applied; empty values are left out. */
export function catalogHref(query: Partial<CatalogQuery>, changes: Partial<CatalogQuery> = {}): string {
  const merged = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const key of ["q", "mode", "domain", "status", "tag", "page"] as const) {
    const value = merged[key];
    if (value === undefined || value === "" || (key === "page" && value === 1) || (key === "mode" && value === "keyword")) continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `/products?${search}` : "/products";
}
