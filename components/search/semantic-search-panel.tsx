"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { EmbeddingModelInfo } from "@/lib/ai/models";
import type { SemanticSearchStatus } from "@/lib/validation/semantic-search";
import { FormFooter } from "../ui/form-footer";
import { HostedPiiChoice, hostedPiiText } from "../ui/hosted-pii";
import { ProgressBar } from "../ui/progress-bar";
import { button, card, input, label } from "../ui/styles";
import { disable, fetchStatus, putConfig } from "./api";

type Props = {
  domain: string;
  name: string;
  initial: SemanticSearchStatus;
  models: EmbeddingModelInfo[];
  textFields: { name: string; description: string }[];
  /** Fields marked PII: withheld from hosted models unless the owner allows them. */
  piiFields: string[];
  /** Owners of the product's domain (and admins) may change it; others see its state. */
  canEdit: boolean;
};

const DISABLED: SemanticSearchStatus = { enabled: false, model: null, fields: [], hostedPii: false, status: null, indexed: 0, total: 0 };

export const statusKey = (domain: string, name: string) => ["semantic-search", domain, name];

/**
 * The semantic search capability of a product: choose the model and the
 * fields to embed, follow indexing progress, change or disable it.
 */
export function SemanticSearchPanel({ domain, name, initial, models, textFields, piiFields, canEdit }: Props) {
  const queryClient = useQueryClient();
  const { data: status = initial } = useQuery({
    queryKey: statusKey(domain, name),
    queryFn: () => fetchStatus(domain, name),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.status === "indexing" ? 1000 : false),
  });
  const [editing, setEditing] = useState(false);
  const save = useMutation({
    mutationFn: (config: SearchConfig) => putConfig(domain, name, config),
    onSuccess: (next) => {
      queryClient.setQueryData(statusKey(domain, name), next);
      setEditing(false);
    },
  });
  const remove = useMutation({
    mutationFn: () => disable(domain, name),
    onSuccess: () => queryClient.setQueryData(statusKey(domain, name), DISABLED),
  });

  return (
    <div className={`${card} p-4`}>
      <div className="flex items-start justify-between gap-3">
        <div>
          <h3 className="font-medium">Semantic search</h3>
          <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">Ask this product&apos;s records questions in plain language.</p>
        </div>
        <CapabilityBadge status={status} />
      </div>

      {status.enabled && !editing ? (
        <div className="mt-4 space-y-3 text-sm">
          {status.status === "indexing" ? (
            <ProgressBar label="Indexing progress" caption="Embedding records…" done={status.indexed} total={status.total} />
          ) : null}
          {status.status === "failed" ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800 dark:bg-red-950/50 dark:text-red-200">
              Indexing failed: {status.error}
            </p>
          ) : null}
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt className="text-zinc-500 dark:text-zinc-400">Model</dt>
            <dd className="font-mono text-xs leading-5">{status.model}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Fields</dt>
            <dd className="font-mono text-xs leading-5">{status.fields.join(", ")}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">PII</dt>
            <dd>{hostedPiiText(piiFields, status.hostedPii)}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Indexed</dt>
            <dd>
              {status.indexed.toLocaleString("en")} of {status.total.toLocaleString("en")} records
            </dd>
          </dl>
          {canEdit ? <div className="flex gap-2">
            <button type="button" className={button.secondary} onClick={() => setEditing(true)}>
              Change
            </button>
            <button
              type="button"
              className={button.ghost}
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm("Disable semantic search? Its vectors and index are deleted.")) remove.mutate();
              }}
            >
              Disable
            </button>
          </div> : null}
          {remove.error ? <p role="alert" className="text-red-600 dark:text-red-400">{remove.error.message}</p> : null}
        </div>
      ) : !canEdit ? (
        <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">Off. An owner of the {domain} domain can switch it on.</p>
      ) : textFields.length === 0 ? (
        <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">This product has no string fields to embed.</p>
      ) : (
        <ConfigForm
          models={models}
          textFields={textFields}
          piiFields={piiFields}
          initial={status.enabled ? { model: status.model!, fields: status.fields, hostedPii: status.hostedPii } : undefined}
          pending={save.isPending}
          error={save.error?.message}
          onCancel={status.enabled ? () => setEditing(false) : undefined}
          onSubmit={(config) => save.mutate(config)}
        />
      )}
    </div>
  );
}

type SearchConfig = { model: string; fields: string[]; hostedPii: boolean };

function ConfigForm({
  models,
  textFields,
  piiFields,
  initial,
  pending,
  error,
  onCancel,
  onSubmit,
}: {
  models: EmbeddingModelInfo[];
  textFields: { name: string; description: string }[];
  piiFields: string[];
  initial?: SearchConfig;
  pending: boolean;
  error?: string;
  onCancel?: () => void;
  onSubmit: (config: SearchConfig) => void;
}) {
  const [hostedPii, setHostedPii] = useState(initial?.hostedPii ?? false);
  const [model, setModel] = useState(initial?.model ?? models[0]!.id);
  const [fields, setFields] = useState<string[]>(initial?.fields ?? []);
  const [touched, setTouched] = useState(false);
  const toggle = (field: string) =>
    setFields((current) => (current.includes(field) ? current.filter((other) => other !== field) : [...current, field]));
  const noFields = touched && fields.length === 0;

  return (
    <form
      className="mt-4 space-y-4 text-sm"
      aria-label="Semantic search settings"
      onSubmit={(event) => {
        event.preventDefault();
        setTouched(true);
        if (fields.length) onSubmit({ model, fields: textFields.map((field) => field.name).filter((name) => fields.includes(name)), hostedPii });
      }}
    >
      <div>
        <label htmlFor="embedding-model" className={label}>
          Embedding model
        </label>
        <select id="embedding-model" className={`${input} mt-1`} value={model} onChange={(event) => setModel(event.target.value)}>
          {models.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label} · {option.dimensions} dims
            </option>
          ))}
        </select>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{models.find((option) => option.id === model)?.description}</p>
      </div>
      <fieldset aria-describedby={noFields ? "embed-fields-error" : undefined}>
        <legend className={label}>Fields to embed</legend>
        <div className="mt-1 space-y-1.5">
          {textFields.map((field) => (
            <label key={field.name} className="flex items-start gap-2">
              <input type="checkbox" className="mt-0.5 size-4 accent-indigo-600" checked={fields.includes(field.name)} onChange={() => toggle(field.name)} />
              <span>
                <span className="font-mono text-xs">{field.name}</span>
                {field.description ? <span className="block text-xs text-zinc-500 dark:text-zinc-400">{field.description}</span> : null}
              </span>
            </label>
          ))}
        </div>
        {noFields ? (
          <p id="embed-fields-error" role="alert" className="mt-1 text-red-600 dark:text-red-400">
            Choose at least one field to embed
          </p>
        ) : null}
      </fieldset>
      <HostedPiiChoice id="search-hosted-pii" piiFields={piiFields} checked={hostedPii} onChange={setHostedPii} reaches="the hosted chat model and a hosted embedding model" />
      <FormFooter error={error} pending={pending} submitLabel={initial ? "Save and re-index" : "Enable semantic search"} onCancel={onCancel} />
    </form>
  );
}

export function CapabilityBadge({ status }: { status: SemanticSearchStatus }) {
  const [text, style] = !status.enabled
    ? ["off", "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400"]
    : status.status === "ready"
      ? ["ready", "bg-emerald-50 text-emerald-700 dark:bg-emerald-500/10 dark:text-emerald-400"]
      : status.status === "indexing"
        ? ["indexing", "bg-sky-50 text-sky-700 dark:bg-sky-500/10 dark:text-sky-300"]
        : ["failed", "bg-red-50 text-red-700 dark:bg-red-500/10 dark:text-red-300"];
  return <span className={`shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ${style}`}>{text}</span>;
}
