import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ProductForm } from "@/components/products/product-form";
import { ProductLifecycle } from "@/components/products/product-lifecycle";
import { NotAllowed } from "@/components/auth/not-allowed";
import { pageActor } from "@/lib/auth/page";
import { canWriteProduct } from "@/lib/mesh/permissions";
import { editProductPath } from "@/lib/paths";
import { findProduct } from "@/lib/services/products";
import { deleteProductAction, deprecateProductAction, updateProductAction } from "../../../actions";

type Props = { params: Promise<{ domain: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { domain, name } = await params;
  return { title: `Edit ${domain}/${name}` };
}

export default async function EditProductPage({ params }: Props) {
  const { domain, name } = await params;
  const actor = await pageActor(editProductPath({ domain, name }));
  const product = await findProduct(actor, { domain, name });
  if (!product) notFound();
  if (!canWriteProduct(actor, domain)) {
    return <NotAllowed title={`Edit ${product.title}`} message={`Only the owners of the domain ${domain} and admins may change this product.`} />;
  }
  const { id: _id, recordCount, lastLoadedAt: _loaded, capabilities: _capabilities, health: _health, createdAt: _created, updatedAt: _updated, ...initial } = product;
  return (
    <div className="space-y-8">
      <div>
        <p className="font-mono text-sm text-zinc-500 dark:text-zinc-400">
          {domain}/{name}
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">Edit {product.title}</h1>
      </div>
      <ProductForm mode="edit" initial={initial} update={updateProductAction} />
      <ProductLifecycle
        domain={domain}
        name={name}
        status={product.status}
        recordCount={recordCount}
        deprecate={deprecateProductAction}
        remove={deleteProductAction}
      />
    </div>
  );
}
