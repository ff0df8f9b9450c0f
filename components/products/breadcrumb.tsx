import Link from "next/link";
import { CATALOG_PATH, catalogPath } from "@/lib/paths";

/** "Catalog / domain / ... / current": the way back up from a product or record page. */
export function Breadcrumb({ trail, current }: { trail: { href: string; label: string }[]; current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
      {trail.map(({ href, label }) => (
        <span key={href}>
          <Link href={href} className="hover:underline">
            {label}
          </Link>{" "}
          /{" "}
        </span>
      ))}
      <span className="break-all text-zinc-800 dark:text-zinc-200">{current}</span>
    </nav>
  );
}

/** The trail down to a product: the catalog, then its domain. */
export const productTrail = (product: { domain: string }) => [
  { href: CATALOG_PATH, label: "Catalog" },
  { href: catalogPath({ domain: product.domain }), label: product.domain },
];
