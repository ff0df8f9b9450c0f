import Link from "next/link";
import { CATALOG_PATH } from "@/lib/paths";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md py-24 text-center">
      <p className="text-sm font-medium text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Not found</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">There is no page or data product at this address.</p>
      <Link href={CATALOG_PATH} className="mt-6 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
        Back to the catalog
      </Link>
    </div>
  );
}
