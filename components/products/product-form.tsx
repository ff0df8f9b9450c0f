"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Controller, FormProvider, useForm, useWatch, type FieldPath, type UseFormRegisterReturn } from "react-hook-form";
import { api, ApiError } from "@/components/api-client";
import type { ActionResult } from "@/lib/action-result";
import { CATALOG_PATH, productApiPath, productPath, type ProductRef } from "@/lib/paths";
import {
  PRODUCT_STATUSES,
  UPDATE_FREQUENCIES,
  productInputSchema,
  slugSchema,
  type ProductFormValues,
  type ProductInput,
} from "@/lib/validation/product";
import { button, input } from "../ui/styles";
import { errorId, errorMessage, Field, FormSection } from "../ui/form";
import { BreakingChangeNotice } from "./breaking-change-notice";
import { QualityRulesField } from "./quality-rules-field";
import { EMPTY_FIELD, SchemaEditor } from "./schema-editor";
import { TagInput } from "./tag-input";
import { VISIBILITIES } from "@/lib/mesh/access";

/** The server actions the page hands in (app/products/actions.ts). */
export type CreateProductAction = (input: ProductInput) => Promise<ActionResult<ProductRef>>;
export type UpdateProductAction = (domain: string, name: string, patch: Omit<ProductInput, "domain" | "name">) => Promise<ActionResult<ProductRef>>;

/** `domains`: where the signed-in user may register products, offered as suggestions. */
type Props =
  | { mode: "create"; domains: string[]; create: CreateProductAction }
  | { mode: "edit"; initial: ProductFormValues; update: UpdateProductAction };

const numberOrUndefined = (value: unknown) => (value === "" || value === null || value === undefined ? undefined : Number(value));

const NEW_PRODUCT: ProductFormValues = {
  domain: "",
  name: "",
  title: "",
  description: "",
  owner: "",
  tags: [],
  status: "draft",
  visibility: "public",
  version: "1.0.0",
  schema: { primaryKey: "id", fields: [{ ...EMPTY_FIELD, name: "id", required: true }] },
  sla: {},
  quality: [],
};

/**
 * Register or edit a data product. The browser validates with the same zod
 * schema as the server; errors the server finds (a taken name, say) come back
 * per field and are shown in the same places.
 */
export function ProductForm(props: Props) {
  const router = useRouter();
  const editing = props.mode === "edit";
  const form = useForm<ProductFormValues, unknown, ProductInput>({
    resolver: zodResolver(productInputSchema),
    defaultValues: editing ? props.initial : NEW_PRODUCT,
    // Errors appear on submit, then follow each change. (Validating on blur
    // shifts the layout under the pointer and can swallow the submit click.)
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = form;
  const [formError, setFormError] = useState<string>();

  const onSubmit = handleSubmit(async (values) => {
    setFormError(undefined);
    const { domain, name, ...changes } = values;
    const result = props.mode === "edit" ? await props.update(domain, name, changes) : await props.create(values);
    if (result.ok) {
      router.push(productPath(result.data));
      router.refresh();
      return;
    }
    setFormError(result.error);
    for (const [path, messages] of Object.entries(result.fieldErrors ?? {})) {
      setError(path as FieldPath<ProductFormValues>, { type: "server", message: messages.join(" ") });
    }
  });

  const err = (path: string) => errorMessage(errors, path);
  const a11y = (path: string) => ({
    id: path,
    "aria-invalid": Boolean(err(path)),
    "aria-describedby": err(path) ? errorId(path) : undefined,
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={onSubmit} noValidate className="space-y-8" aria-label={editing ? "Edit data product" : "Register data product"}>
        {formError ? (
          <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
            {formError}
          </div>
        ) : null}

        <FormSection title="Identity" description="Where the product lives in the mesh and who answers for it. Domain and name form its address and cannot change later.">
          <div className="grid gap-5 sm:grid-cols-2">
            <Field
              id="domain"
              label="Domain"
              error={err("domain")}
              hint={props.mode === "create" ? `One you own: ${props.domains.join(", ") || "none yet"}` : undefined}
            >
              <input
                {...register("domain")}
                {...a11y("domain")}
                readOnly={editing}
                list={props.mode === "create" ? "writable-domains" : undefined}
                className={`${input} font-mono read-only:bg-zinc-100 dark:read-only:bg-zinc-800`}
                autoComplete="off"
              />
              {props.mode === "create" ? (
                <datalist id="writable-domains">
                  {props.domains.map((domain) => (
                    <option key={domain} value={domain} />
                  ))}
                </datalist>
              ) : null}
            </Field>
            <Field id="name" label="Name" error={err("name")} hint={editing ? undefined : <AddressAvailability />}>
              <input {...register("name")} {...a11y("name")} readOnly={editing} className={`${input} font-mono read-only:bg-zinc-100 dark:read-only:bg-zinc-800`} autoComplete="off" />
            </Field>
          </div>
          <Field id="title" label="Title" error={err("title")}>
            <input {...register("title")} {...a11y("title")} className={input} placeholder="Support Tickets" />
          </Field>
          <Field id="description" label="Description" error={err("description")} hint="What the data is, its grain, its source and typical uses.">
            <textarea {...register("description")} {...a11y("description")} rows={4} className={input} />
          </Field>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field id="owner" label="Owner (email)" error={err("owner")}>
              <input type="email" {...register("owner")} {...a11y("owner")} className={input} placeholder="team@example.com" />
            </Field>
            <Field id="tags" label="Tags" error={err("tags") ?? firstItemError(errors, "tags")}>
              <Controller
                control={control}
                name="tags"
                render={({ field }) => (
                  <TagInput
                    id="tags"
                    value={field.value ?? []}
                    onChange={field.onChange}
                    onBlur={field.onBlur}
                    invalid={Boolean(err("tags") ?? firstItemError(errors, "tags"))}
                    describedBy={err("tags") ? errorId("tags") : undefined}
                  />
                )}
              />
            </Field>
          </div>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field id="status" label="Status" error={err("status")}>
              <select {...register("status")} {...a11y("status")} className={input}>
                {PRODUCT_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {status}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="version" label="Version" error={err("version")} hint="Semantic version">
              <input {...register("version")} {...a11y("version")} className={`${input} font-mono`} />
            </Field>
            <Field
              id="visibility"
              label="Visibility"
              error={err("visibility")}
              hint="Restricted: everyone sees this entry, but only the domain's owners, admins and users you grant access read the records."
            >
              <select {...register("visibility")} {...a11y("visibility")} className={input}>
                {VISIBILITIES.map((visibility) => (
                  <option key={visibility} value={visibility}>
                    {visibility}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </FormSection>

        <FormSection title="Schema" description="The typed fields of each record. Pick the primary key in the Key column; it must be required.">
          <SchemaEditor />
          {props.mode === "edit" ? <BreakingChangeNotice saved={props.initial.schema} savedVersion={props.initial.version ?? "1.0.0"} /> : null}
        </FormSection>

        <FormSection title="Service levels" description="What consumers can rely on. Every value is optional.">
          <div className="grid gap-5 sm:grid-cols-2">
            <Field id="sla.freshnessHours" label="Freshness (hours)" error={err("sla.freshnessHours")} hint="Maximum age of the newest data">
              <input type="number" step="any" min={0} {...register("sla.freshnessHours", { setValueAs: numberOrUndefined })} {...a11y("sla.freshnessHours")} className={input} />
            </Field>
            <Field id="sla.availabilityPercent" label="Availability (%)" error={err("sla.availabilityPercent")} hint="0–100">
              <input type="number" step="any" min={0} max={100} {...register("sla.availabilityPercent", { setValueAs: numberOrUndefined })} {...a11y("sla.availabilityPercent")} className={input} />
            </Field>
            <Field id="sla.latencyMsP95" label="Latency p95 (ms)" error={err("sla.latencyMsP95")}>
              <input type="number" step={1} min={0} {...register("sla.latencyMsP95", { setValueAs: numberOrUndefined })} {...a11y("sla.latencyMsP95")} className={input} />
            </Field>
            <Field id="sla.retentionDays" label="Retention (days)" error={err("sla.retentionDays")}>
              <input type="number" step={1} min={0} {...register("sla.retentionDays", { setValueAs: numberOrUndefined })} {...a11y("sla.retentionDays")} className={input} />
            </Field>
            <Field id="sla.updateFrequency" label="Update frequency" error={err("sla.updateFrequency")} hint={`${UPDATE_FREQUENCIES.join(", ")}, "every 15 minutes" or PT15M`}>
              <input list="update-frequencies" {...register("sla.updateFrequency", { setValueAs: (value) => value?.trim() || undefined })} {...a11y("sla.updateFrequency")} className={input} />
              <datalist id="update-frequencies">
                {UPDATE_FREQUENCIES.map((frequency) => (
                  <option key={frequency} value={frequency} />
                ))}
              </datalist>
            </Field>
            <EventTimeField error={err("sla.eventTimeField")} a11y={a11y("sla.eventTimeField")} register={register("sla.eventTimeField", { setValueAs: (value) => value || undefined })} />
          </div>
        </FormSection>

        <FormSection
          title="Data quality rules"
          description="Checked after every load and on demand, in the shape of ODCS v3 quality metrics: nullValues, duplicateValues, invalidValues, rowCount, freshness. An error rule with rejectLoad refuses a load that breaks it."
        >
          <QualityRulesField />
        </FormSection>

        <div className="flex items-center justify-end gap-3">
          <Link href={editing ? productPath(props.initial) : CATALOG_PATH} className={button.secondary}>
            Cancel
          </Link>
          <button type="submit" className={button.primary} disabled={isSubmitting}>
            {isSubmitting ? "Saving…" : editing ? "Save changes" : "Register product"}
          </button>
        </div>
      </form>
    </FormProvider>
  );
}

function firstItemError(errors: Parameters<typeof errorMessage>[0], path: string): string | undefined {
  const items = (errors as Record<string, unknown>)[path];
  if (!Array.isArray(items)) return undefined;
  const first = items.find((item) => item?.message);
  return first?.message;
}

/** Tells, while typing, whether domain/name is still free (GET on the product's API address). */
function AddressAvailability() {
  const [domain, name] = useWatch<ProductFormValues, ["domain", "name"]>({ name: ["domain", "name"] });
  const valid = slugSchema.safeParse(domain).success && slugSchema.safeParse(name).success;
  const { data, isFetching } = useQuery({
    queryKey: ["product-address", domain, name],
    enabled: valid,
    queryFn: async ({ signal }) => {
      try {
        await api(productApiPath({ domain, name }), { signal });
        return "taken" as const;
      } catch (error) {
        if (error instanceof ApiError && error.code === "not_found") return "free" as const;
        throw error;
      }
    },
  });
  if (!valid) return <>kebab-case, unique within the domain</>;
  if (isFetching) return <>Checking {domain}/{name}…</>;
  if (data === "taken") return <span className="text-amber-700 dark:text-amber-400">{domain}/{name} is already registered</span>;
  if (data === "free") return <span className="text-emerald-700 dark:text-emerald-400">{domain}/{name} is available</span>;
  return <>kebab-case, unique within the domain</>;
}

/** The event-time field: freshness and retention are measured on it; only date and timestamp fields qualify. */
function EventTimeField({ error, a11y, register }: { error?: string; a11y: object; register: UseFormRegisterReturn }) {
  const fields = useWatch<ProductFormValues, "schema.fields">({ name: "schema.fields" }) ?? [];
  const times = fields.filter((field) => field.type === "date" || field.type === "timestamp").map((field) => field.name).filter(Boolean);
  return (
    <Field id="sla.eventTimeField" label="Event time field" error={error} hint="Freshness and retention are measured on it; otherwise on the last load">
      <select {...register} {...a11y} className={input}>
        <option value="">Last load</option>
        {times.map((time) => (
          <option key={time} value={time}>
            {time}
          </option>
        ))}
      </select>
    </Field>
  );
}
