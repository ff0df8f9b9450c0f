/** The lifecycle statuses of a data product (no imports: the catalog's filters in the browser use them without the product contract's zod schemas). */

export const PRODUCT_STATUSES = ["draft", "active", "deprecated"] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
