import Link from "next/link";
import { card } from "@/components/ui/styles";
import { accessPath, type ProductRef } from "@/lib/paths";

/** In place of a restricted product's records, for a reader without access. */
export function RestrictedNotice({ product, what = "Its records" }: { product: ProductRef & { title: string }; what?: string }) {
  return (
    <p className={`${card} px-4 py-3 text-sm text-zinc-600 dark:text-zinc-300`} role="note">
      <span className="font-medium">{product.title} is restricted.</span> {what} are read only by its domain&apos;s owners, admins and the users they grant access.{" "}
      <Link href={accessPath(product)} className="text-indigo-600 hover:underline dark:text-indigo-400">
        Request access
      </Link>
    </p>
  );
}
