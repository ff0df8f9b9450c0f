/**
 * URLs of records. A key is any text, so it is percent-encoded as one path
 * segment; `!'()*` too, so that the URL can be pasted into a shell unquoted.
 */
export function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The record's page: /products/{domain}/{name}/records/{key}. */
export function recordPath(domain: string, name: string, key: string): string {
  return `/products/${domain}/${name}/records/${encodeKey(key)}`;
}

/** The record in the REST API: /api/products/{domain}/{name}/records/{key}. */
export function recordApiPath(domain: string, name: string, key: string): string {
  return `/api${recordPath(domain, name, key)}`;
}

export type RecordsSort = { sort: string | null; dir: "asc" | "desc"; page: number };

/** The product page showing the records table sorted and paged as given; defaults are left out. */
export function recordsTableHref(domain: string, name: string, { sort, dir, page }: RecordsSort): string {
  const params = new URLSearchParams();
  if (sort) params.set("sort", sort);
  if (dir === "desc") params.set("dir", dir);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return `/products/${domain}/${name}${search ? `?${search}` : ""}#records`;
}
