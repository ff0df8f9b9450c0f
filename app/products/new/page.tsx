import type { Metadata } from "next";
import { NotAllowed } from "@/components/auth/not-allowed";
import { ProductForm } from "@/components/products/product-form";
import { pageActor } from "@/lib/auth/page";
import { canRegisterProducts } from "@/lib/mesh/permissions";
import { NEW_PRODUCT_PATH } from "@/lib/paths";
import { writableDomainNames } from "@/lib/services/accounts";
import { createProductAction } from "../actions";

export const metadata: Metadata = { title: "Register data product" };

export default async function NewProductPage() {
  const actor = await pageActor(NEW_PRODUCT_PATH);
  if (!canRegisterProducts(actor)) {
    return <NotAllowed title="Register a data product" message="Only the owners of a domain and admins may register data products. Ask an admin to add you to your domain team." />;
  }
  const domains = await writableDomainNames(actor);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Register a data product</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Publish a self-contained data product: its address, owner, schema and service levels.
        </p>
      </div>
      <ProductForm mode="create" domains={domains} create={createProductAction} />
    </div>
  );
}
