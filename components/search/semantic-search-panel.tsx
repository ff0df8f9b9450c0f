"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import type { EmbeddingModelInfo } from "@/lib/ai/models";
import { semanticSearchInputSchema, type SemanticSearchInput, type SemanticSearchStatus } from "@/lib/validation/semantic-search";
import { ApiError } from "../api-client";
import { ActionError, CapabilityCard, DisableButton, OffForReaders, type CapabilityState } from "../ui/capability-card";
import { errorId, errorMessage, FieldError, showServerErrors } from "../ui/form";
import { FormFooter } from "../ui/form-footer";
import { HostedPiiChoice, hostedPiiText } from "../ui/hosted-pii";
import { ProgressBar } from "../ui/progress-bar";
import { button, input, label } from "../ui/styles";
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
    mutationFn: (config: SemanticSearchInput) => putConfig(domain, name, config),
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
    <CapabilityCard title="Semantic search" purpose="Ask this product's records questions in plain language." state={stateOf(status)}>

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
          {status.health ? <AiHealth health={status.health} /> : null}
          {canEdit ? <div className="flex gap-2">
            <button type="button" className={button.secondary} onClick={() => setEditing(true)}>
              Change
            </button>
            <DisableButton warning="Disable semantic search? Its vectors and index are deleted." pending={remove.isPending} onDisable={() => remove.mutate()} />
          </div> : null}
          <ActionError error={remove.error} />
        </div>
      ) : !canEdit ? (
        <OffForReaders domain={domain} />
      ) : textFields.length === 0 ? (
        <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">This product has no string fields to embed.</p>
      ) : (
        <ConfigForm
          models={models}
          textFields={textFields}
          piiFields={piiFields}
          initial={status.enabled ? { model: status.model!, fields: status.fields, hostedPii: status.hostedPii } : undefined}
          onCancel={status.enabled ? () => setEditing(false) : undefined}
          onSave={(config) => save.mutateAsync(config)}
        />
      )}
    </CapabilityCard>
  );
}

const CONFIG_FIELDS = ["model", "fields", "hostedPii"] as const;

/** Choose the model and the fields: validated with the route's own schema, the server's field errors shown beside the fields. */
function ConfigForm({
  models,
  textFields,
  piiFields,
  initial,
  onCancel,
  onSave,
}: {
  models: EmbeddingModelInfo[];
  textFields: { name: string; description: string }[];
  piiFields: string[];
  initial?: { model: string; fields: string[]; hostedPii: boolean };
  onCancel?: () => void;
  onSave: (config: SemanticSearchInput) => Promise<unknown>;
}) {
  const form = useForm<z.input<typeof semanticSearchInputSchema>, unknown, SemanticSearchInput>({
    resolver: zodResolver(semanticSearchInputSchema),
    defaultValues: { model: initial?.model ?? models[0]!.id, fields: initial?.fields ?? [], hostedPii: initial?.hostedPii ?? false },
  });
  const {
    register,
    handleSubmit,
    control,
    formState: { errors, isSubmitting },
  } = form;
  const model = useWatch({ control, name: "model" });
  const hostedPii = useWatch({ control, name: "hostedPii" }) ?? false;
  const fieldsError = errorMessage(errors, "fields");
  const onSubmit = handleSubmit(async (values) => {
    try {
      // In the schema's order, whatever order they were ticked in.
      await onSave({ ...values, fields: textFields.map((field) => field.name).filter((name) => values.fields.includes(name)) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showServerErrors(form, { message: error.message, fieldErrors: error.fieldErrors }, CONFIG_FIELDS);
    }
  });

  return (
    <form className="mt-4 space-y-4 text-sm" aria-label="Semantic search settings" noValidate onSubmit={onSubmit}>
      <div>
        <label htmlFor="embedding-model" className={label}>
          Embedding model
        </label>
        <select id="embedding-model" className={`${input} mt-1`} {...register("model")}>
          {models.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label} · {option.dimensions} dims
            </option>
          ))}
        </select>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{models.find((option) => option.id === model)?.description}</p>
        <FieldError path="model" message={errorMessage(errors, "model")} />
      </div>
      <fieldset aria-describedby={fieldsError ? errorId("fields") : undefined}>
        <legend className={label}>Fields to embed</legend>
        <div className="mt-1 space-y-1.5">
          {textFields.map((field) => (
            <label key={field.name} className="flex items-start gap-2">
              <input type="checkbox" className="mt-0.5 size-4 accent-indigo-600" value={field.name} {...register("fields")} />
              <span>
                <span className="font-mono text-xs">{field.name}</span>
                {field.description ? <span className="block text-xs text-zinc-500 dark:text-zinc-400">{field.description}</span> : null}
              </span>
            </label>
          ))}
        </div>
        <FieldError path="fields" message={fieldsError} />
      </fieldset>
      <HostedPiiChoice piiFields={piiFields} checked={hostedPii} input={register("hostedPii")} reaches="the hosted chat model and a hosted embedding model" />
      <FormFooter
        error={errors.root?.server?.message}
        pending={isSubmitting}
        submitLabel={initial ? "Save and re-index" : "Enable semantic search"}
        onCancel={onCancel}
      />
    </form>
  );
}

function stateOf(status: SemanticSearchStatus): CapabilityState {
  if (!status.enabled) return { text: "off", tone: "off" };
  if (status.status === "ready") return { text: "ready", tone: "on" };
  return status.status === "indexing" ? { text: "indexing", tone: "busy" } : { text: "failed", tone: "failed" };
}

const SIGNAL_LABELS = { vector: "meaning (vector)", bm25: "keywords (BM25)", "expanded-bm25": "related words (expanded BM25)" } as const;

/** What the product's retrieval runs on: embedding coverage, vocabulary, signals, last re-index. */
function AiHealth({ health }: { health: NonNullable<SemanticSearchStatus["health"]> }) {
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" }) : "never");
  return (
    <section aria-label="AI health" className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <h4 className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">AI health</h4>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="text-zinc-500 dark:text-zinc-400">Embedding coverage</dt>
        <dd>
          {Math.round(health.coverage * 100)}% ({health.embedded.toLocaleString("en")} of {health.records.toLocaleString("en")} records)
        </dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Vocabulary</dt>
        <dd>
          {health.vocabulary.toLocaleString("en")} terms; {health.embeddedWords.toLocaleString("en")} of {health.words.toLocaleString("en")} words embedded
        </dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Signals</dt>
        <dd>{health.signals.length ? health.signals.map((signal) => SIGNAL_LABELS[signal]).join(", ") : "none yet"}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Last re-index</dt>
        <dd>{when(health.lastIndexedAt)}</dd>
      </dl>
    </section>
  );
}
