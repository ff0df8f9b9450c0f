import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache, Suspense, type ReactNode } from "react";
import { AccessSection } from "@/components/access/access-section";
import { RestrictedNotice } from "@/components/access/restricted-notice";
import { AuditLog } from "@/components/products/audit-log";
import { ApiCall } from "@/components/products/api-call";
import { Breadcrumb, productTrail } from "@/components/products/breadcrumb";
import { SchemaTable } from "@/components/products/schema-table";
import { ComplianceChart } from "@/components/health/compliance-chart";
import { HealthBadge } from "@/components/health/health-badge";
import { HealthPanel } from "@/components/health/health-panel";
import { FollowButton } from "@/components/notifications/follow-button";
import { SchemaVersions } from "@/components/products/schema-versions";
import { RecordsSection } from "@/components/records/records-section";
import { RestrictedBadge, StatusBadge, Tag } from "@/components/ui/badges";
import { button, card } from "@/components/ui/styles";
import { ProductSearch } from "@/components/search/product-search";
import { SemanticSearchPanel } from "@/components/search/semantic-search-panel";
import { InferencePanel } from "@/components/inference/inference-panel";
import type { Actor } from "@/lib/auth/guard";
import { pageActor } from "@/lib/auth/page";
import { canWriteProduct } from "@/lib/mesh/permissions";
import { catalogPath, editProductPath, odcsApiPath, odpsApiPath, productApiPath, productPath, schemaVersionsApiPath } from "@/lib/paths";
import { following } from "@/lib/services/notifications";
import { findProduct, productOverview, type Product, type ProductOverview } from "@/lib/services/products";
import { productSchemaVersions } from "@/lib/services/schema-versions";
import { recordsTableQuerySchema } from "@/lib/validation/records";
import { Section } from "@/components/ui/section";

type Props = {
  params: Promise<{ domain: string; name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** The reader and the product, looked up once per request (for the metadata and the page). */
const load = cache(async (domain: string, name: string) => {
  const actor = await pageActor(productPath({ domain, name }), { allowVisitors: true });
  return { actor, product: await findProduct(actor, { domain, name }) };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { domain, name } = await params;
  const { product } = await load(domain, name);
  return { title: product ? product.title : "Not found" };
}

export default async function ProductPage({ params, searchParams }: Props) {
  const { domain, name } = await params;
  const { actor, product } = await load(domain, name);
  if (!product) notFound();
  // The header and the figures need the product only: they come in the document's first HTML (the
  // page's largest text, its description, paints at once); what the rest needs streams in after.
  const details: Promise<Details> = Promise.all([
    productOverview(actor, product, recordsTableQuerySchema.parse(await searchParams)),
    productSchemaVersions(actor, product),
    actor ? following(actor, product) : null,
  ]).then(([overview, schemaVersions, follows]) => ({ ...overview, schemaVersions, follows }));
  const canEdit = Boolean(actor && canWriteProduct(actor, product.domain));

  return (
    <article className="space-y-8">
      <Breadcrumb trail={productTrail(product)} current={product.name} />

      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-3xl font-semibold tracking-tight">{product.title}</h1>
            <StatusBadge status={product.status} />
            <Suspense fallback={null}>
              <WhenReady value={details}>{({ health }) => <HealthBadge status={health.status} />}</WhenReady>
            </Suspense>
            {product.visibility === "restricted" ? <RestrictedBadge /> : null}
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
              v{product.version}
            </span>
          </div>
          <p className="mt-1 font-mono text-sm text-zinc-500 dark:text-zinc-400">
            {product.domain}/{product.name}
          </p>
          {product.status === "deprecated" ? (
            <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-500/10 dark:text-amber-300">
              Deprecated: still readable, but consumers should move away from it.
            </p>
          ) : null}
          <p className="mt-4 max-w-3xl whitespace-pre-line text-zinc-700 dark:text-zinc-300">{product.description || "No description."}</p>
          {product.tags.length > 0 && (
            <div className="mt-4 flex flex-wrap gap-1.5">
              {product.tags.map((tag) => (
                <Link key={tag} href={catalogPath({ tag })}>
                  <Tag>{tag}</Tag>
                </Link>
              ))}
            </div>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <Suspense fallback={null}>
            <WhenReady value={details}>{({ follows }) => (follows ? <FollowButton product={product} initial={follows.following} /> : null)}</WhenReady>
          </Suspense>
          <a href={odpsApiPath(product)} download={`${product.name}.odps.yaml`} className={button.secondary} title="Open Data Product Standard v1.1 (YAML)">
            ODPS
          </a>
          <a href={odcsApiPath(product)} download={`${product.name}.odcs.yaml`} className={button.secondary} title="Open Data Contract Standard v3.1: schema and SLA (YAML)">
            ODCS
          </a>
          {canEdit ? (
            <Link href={editProductPath(product)} className={button.secondary}>
              Edit
            </Link>
          ) : null}
        </div>
      </header>

      <dl className="grid gap-4 sm:grid-cols-4">
        <Stat label="Owner">
          <a href={`mailto:${product.owner}`} className="text-indigo-600 hover:underline dark:text-indigo-400">
            {product.owner}
          </a>
        </Stat>
        <Stat label="Records">{product.recordCount.toLocaleString("en")}</Stat>
        <Stat label="Fields">{product.schema.fields.length}</Stat>
        <Stat label="Last changed">
          <time dateTime={product.updatedAt}>{new Date(product.updatedAt).toISOString().slice(0, 10)}</time>
        </Stat>
      </dl>

      <Suspense fallback={<p className="text-sm text-zinc-500 dark:text-zinc-400">Loading the schema, health, capabilities and records…</p>}>
        <WhenReady value={details}>{(loaded) => <ProductSections product={product} actor={actor} canEdit={canEdit} details={loaded} />}</WhenReady>
      </Suspense>
    </article>
  );
}

type Details = ProductOverview & { schemaVersions: Awaited<ReturnType<typeof productSchemaVersions>>; follows: Awaited<ReturnType<typeof following>> | null };

/** Renders `children` with the value of `value`, suspending until it resolves (inside a Suspense boundary). */
async function WhenReady<T>({ value, children }: { value: Promise<T>; children: (value: T) => ReactNode }) {
  return children(await value);
}

/** Everything below the product's header and figures. */
function ProductSections({ product, actor, canEdit, details }: { product: Product; actor: Actor | null; canEdit: boolean; details: Details }) {
  const { semanticSearch, inference, models, canReadRecords, access, records, history, health, healthHistory, schemaVersions } = details;
  const textFields = product.schema.fields.filter((field) => field.type === "string").map(({ name, description }) => ({ name, description }));
  const piiFields = product.schema.fields.filter((field) => field.pii).map((field) => field.name);
  return (
    <>
      <div className="grid gap-8 lg:grid-cols-3">
        <Section id="schema" title="Schema" className="lg:col-span-2">
          <SchemaTable schema={product.schema} aiFields={inference.outputFields} />
        </Section>
        <div className="space-y-8">
          <Section id="sla" title="Service levels and health">
            <HealthPanel domain={product.domain} name={product.name} health={health} canEdit={canEdit} />
          </Section>
          <Section id="capabilities" title="AI capabilities">
            <SemanticSearchPanel
              domain={product.domain}
              name={product.name}
              initial={semanticSearch}
              models={models}
              textFields={textFields}
              piiFields={piiFields}
              canEdit={canEdit}
            />
            <InferencePanel domain={product.domain} name={product.name} initial={inference} piiFields={piiFields} canEdit={canEdit} />
          </Section>
        </div>
      </div>

      <Section id="compliance" title="Compliance over time (30 days)">
        <ComplianceChart history={healthHistory} />
      </Section>

      <Section id="schema-versions" title="Schema versions">
        <SchemaVersions versions={schemaVersions} apiPath={schemaVersionsApiPath(product)} />
      </Section>

      {canReadRecords && records ? (
        <>
          <Section id="search" title="Search this product">
            <ProductSearch domain={product.domain} name={product.name} initial={semanticSearch} />
          </Section>

          <RecordsSection product={product} table={records} canEdit={canEdit} />
        </>
      ) : (
        <Section id="records" title="Records">
          <RestrictedNotice product={product} />
        </Section>
      )}

      {access ? <AccessSection product={product} view={access} signedIn={Boolean(actor)} /> : null}

      <Section id="api" title="Use it from code">
        <ApiCall path={productApiPath(product)} />
      </Section>

      <AuditLog entries={history} />
    </>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className={`${card} px-4 py-3`}>
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 truncate text-sm font-medium">{children}</dd>
    </div>
  );
}
