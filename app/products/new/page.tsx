import type { Metadata } from "next";
import { NotAllowed } from "@/components/auth/not-allowed";
import { ProductForm } from "@/components/products/product-form";
import { pageActor } from "@/lib/auth/page";
import { canRegisterProducts } from "@/lib/mesh/permissions";
import { NEW_PRODUCT_PATH } from "@/lib/paths";
import { writableDomainNames } from "@/lib/services/accounts";
import { createProductAction } from "../actions";
import { PageHeader } from "@/components/ui/section";

export const metadata: Metadata = { title: "Register data product" };

export default async function NewProductPage() {
  const actor = await pageActor(NEW_PRODUCT_PATH);
  if (!canRegisterProducts(actor)) {
    return <NotAllowed title="Register a data product" message="Only the owners of a domain and admins may register data products. Ask an admin to add you to your domain team." />;
  }
  const domains = await writableDomainNames(actor);
  return (
    <div className="space-y-8">
      <PageHeader title="Register a data product">
          Publish a self-contained data product: its address, owner, schema and service levels.
        </PageHeader>
      <ProductForm mode="create" domains={domains} create={createProductAction} />
    </div>
  );
}
