import type { Metadata } from "next";
import { ProductForm } from "@/components/products/product-form";

export const metadata: Metadata = { title: "Register data product" };

export default function NewProductPage() {
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Register a data product</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Publish a self-contained data product: its address, owner, schema and service levels.
        </p>
      </div>
      <ProductForm mode="create" />
    </div>
  );
}
