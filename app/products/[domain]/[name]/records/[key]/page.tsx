import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RestrictedNotice } from "@/components/access/restricted-notice";
import { ApiCall } from "@/components/products/api-call";
import { Breadcrumb, productTrail } from "@/components/products/breadcrumb";
import { Flag } from "@/components/products/schema-table";
import { FieldValuesTable } from "@/components/records/field-values";
import { formatDateTime } from "@/components/records/format";
import { card } from "@/components/ui/styles";
import { TransformButton } from "@/components/inference/transform-button";
import { pageActor } from "@/lib/auth/page";
import { canWriteProduct } from "@/lib/mesh/permissions";
import { productPath, recordApiPath, recordPath } from "@/lib/paths";
import { recordView } from "@/lib/services/records";
import { Section } from "@/components/ui/section";

type Props = { params: Promise<{ domain: string; name: string; key: string }> };

async function load(params: Props["params"]) {
  const { key, ...ref } = await params;
  const actor = await pageActor(recordPath(ref, key), { allowVisitors: true });
  return { actor, view: await recordView(actor, ref, key) };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { view } = await load(params);
  if (!view) return { title: "Not found" };
  return { title: "restricted" in view ? `Restricted · ${view.product.title}` : `${view.record.key} · ${view.product.title}` };
}

export default async function RecordPage({ params }: Props) {
  const { actor, view } = await load(params);
  if (!view) notFound();
  if ("restricted" in view) {
    return (
      <article className="space-y-8">
        <Breadcrumb trail={[...productTrail(view.product), { href: productPath(view.product), label: view.product.name }]} current="record" />
        <RestrictedNotice product={view.product} what="Its records" />
      </article>
    );
  }
  const { product, record, inference, ai } = view;
  const canTransform = Boolean(actor && canWriteProduct(actor, product.domain)) && inference.enabled;
  const aiFields = inference.enabled ? inference.outputFields : Object.keys(ai?.output ?? {}).map((name) => ({ name, type: typeof ai?.output[name], description: undefined }));

  return (
    <article className="space-y-8">
      <Breadcrumb
        trail={[...productTrail(product), { href: productPath(product), label: product.name }, { href: `${productPath(product)}#records`, label: "records" }]}
        current={record.key}
      />

      <header>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Record of{" "}
          <Link href={productPath(product)} className="text-indigo-600 hover:underline dark:text-indigo-400">
            {product.title}
          </Link>
        </p>
        <h1 className="mt-1 break-all font-mono text-2xl font-semibold tracking-tight">{record.key}</h1>
        <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm text-zinc-500 dark:text-zinc-400">
          <div className="flex gap-1.5">
            <dt>Created</dt>
            <dd>
              <time dateTime={record.createdAt}>{formatDateTime(record.createdAt)}</time>
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt>Updated</dt>
            <dd>
              <time dateTime={record.updatedAt}>{formatDateTime(record.updatedAt)}</time>
            </dd>
          </div>
        </dl>
      </header>

      <Section id="fields" title="Fields">
        <div className={`${card} overflow-x-auto`}>
          <FieldValuesTable
            rows={product.schema.fields.map((field) => ({
              name: field.name,
              description: field.description,
              type: field.type,
              value: record.data[field.name],
              flags: (
                <>
                  {field.name === product.schema.primaryKey ? <Flag title="Primary key">key</Flag> : null}
                  {field.pii ? (
                    <Flag title="Contains personal data" tone="warn">
                      PII
                    </Flag>
                  ) : null}
                </>
              ),
            }))}
          />
        </div>
      </Section>

      {inference.enabled || ai ? (
        <Section
          id="ai"
          title="AI-derived fields"
          action={canTransform ? <TransformButton domain={product.domain} name={product.name} recordKey={record.key} hasOutput={Boolean(ai)} /> : undefined}
        >
          {ai ? (
            <div className={`${card} overflow-x-auto`}>
              <FieldValuesTable
                label="AI-derived fields"
                rows={aiFields.map((field) => ({
                  name: field.name,
                  description: field.description,
                  type: field.type,
                  value: ai.output[field.name],
                  flags: (
                    <Flag title="AI-derived: written by the product's AI inference" tone="ai">
                      AI
                    </Flag>
                  ),
                }))}
              />
              <p className="border-t border-zinc-200 px-4 py-2.5 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400" aria-label="Lineage">
                Generated by <span className="font-mono">{ai.lineage.model}</span>
                {ai.lineage.endpoint !== ai.lineage.model ? (
                  <>
                    {" "}at <span className="break-all font-mono">{ai.lineage.endpoint}</span>
                  </>
                ) : null}{" "}
                · instructions v{ai.lineage.version}
                {inference.enabled && inference.version !== ai.lineage.version ? ` (now v${inference.version}: stale)` : ""} ·{" "}
                <time dateTime={ai.lineage.generatedAt}>{formatDateTime(ai.lineage.generatedAt)}</time> · {ai.lineage.durationMs} ms
              </p>
            </div>
          ) : (
            <p className={`${card} px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400`}>
              Not transformed yet{canTransform ? "." : ": an owner can transform it, or apply inference to all records on the product page."}
            </p>
          )}
        </Section>
      ) : null}

      <Section id="api" title="Use it from code">
        <ApiCall path={recordApiPath(product, record.key)} />
      </Section>
    </article>
  );
}
