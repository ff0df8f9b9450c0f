import Link from "next/link";
import { CATALOG_PATH } from "@/lib/paths";

/** Shown instead of a form the signed-in user may not use (the server refuses the change anyway). */
export function NotAllowed({ title, message }: { title: string; message: string }) {
  return (
    <div className="mx-auto max-w-md py-24 text-center">
      <p className="text-sm font-medium text-indigo-600 dark:text-indigo-400">403</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">{message}</p>
      <Link href={CATALOG_PATH} className="mt-6 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
        Back to the catalog
      </Link>
    </div>
  );
}
