import type { RecordsTable as RecordsPage } from "@/lib/services/records";
import type { Product } from "@/lib/validation/product";
import { card, sectionTitle } from "../ui/styles";
import { formatDateTime, plural } from "./format";
import { RecordUpload } from "./record-upload";
import { RecordsTable } from "./records-table";

type Props = {
  product: Product;
  /** The records table's page, sorted as asked. */
  table: RecordsPage;
  /** Owners of the product's domain (and admins) may load records. */
  canEdit: boolean;
};

/** The product page's records: count, last load, upload, and the sortable, paginated table. */
export function RecordsSection({ product, table, canEdit }: Props) {
  const { records, pages, ...view } = table;
  return (
    <section id="records" className="scroll-mt-6 space-y-3" aria-labelledby="records-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="records-title" className={sectionTitle}>
          Records
        </h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          {plural(product.recordCount, "record")} ·{" "}
          {product.lastLoadedAt ? (
            <>
              last loaded <time dateTime={product.lastLoadedAt}>{formatDateTime(product.lastLoadedAt)}</time>
            </>
          ) : (
            "never loaded"
          )}
        </p>
      </div>
      {canEdit ? <RecordUpload domain={product.domain} name={product.name} fields={product.schema.fields.map((field) => field.name)} /> : null}
      {product.recordCount === 0 ? (
        <p className={`${card} px-4 py-6 text-center text-sm text-zinc-500 dark:text-zinc-400`}>This product holds no records yet.</p>
      ) : (
        <RecordsTable
          domain={product.domain}
          name={product.name}
          schema={product.schema}
          records={records}
          total={product.recordCount}
          pages={pages}
          view={view}
        />
      )}
    </section>
  );
}
