import type { Metadata } from "next";
import { NotAllowed } from "@/components/auth/not-allowed";
import { ImportForm } from "@/components/products/import-form";
import { pageActor } from "@/lib/auth/page";
import { canRegisterProducts } from "@/lib/mesh/permissions";
import { IMPORT_PRODUCTS_PATH } from "@/lib/paths";
import { writableDomainNames } from "@/lib/services/accounts";

export const metadata: Metadata = { title: "Import a data product" };

export default async function ImportProductPage() {
  const actor = await pageActor(IMPORT_PRODUCTS_PATH);
  if (!canRegisterProducts(actor)) {
    return <NotAllowed title="Import a data product" message="Only the owners of a domain and admins may import data products." />;
  }
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Import a data product</h1>
        <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
          From YAML kept in git: an Open Data Product Standard (ODPS) document for the product, an Open Data Contract Standard
          (ODCS) document for its schema and service levels, or both. Check shows what would change; nothing is stored until you
          import, and nothing at all when any part is invalid.
        </p>
      </div>
      <ImportForm domains={await writableDomainNames(actor)} />
    </div>
  );
}
