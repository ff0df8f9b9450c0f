"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { endpointKind, type EndpointKind } from "@/lib/mesh/inference";
import type { InferenceInput, InferenceStatus, OutputField, OutputFieldType } from "@/lib/validation/inference";
import { OUTPUT_FIELD_TYPES } from "@/lib/validation/inference";
import { FormFooter } from "../ui/form-footer";
import { ProgressBar } from "../ui/progress-bar";
import { button, card, input, label } from "../ui/styles";
import { cancelRun, disableInference, fetchInference, inferenceKey, putInference, startRun } from "./api";

type Props = {
  domain: string;
  name: string;
  initial: InferenceStatus;
  /** Owners of the product's domain (and admins) may change it; others see its state. */
  canEdit: boolean;
};

type EndpointChoice = EndpointKind;

const CHOICES: { id: EndpointChoice; label: string; description: string }[] = [
  {
    id: "local:classify",
    label: "Classify (built-in, offline)",
    description:
      "Zero-shot: embeds the record's text and each label with the offline sentence model and picks the most similar label, with its similarity as score. It does not read the instructions.",
  },
  {
    id: "local:summarize",
    label: "Summarise (built-in, offline)",
    description: "Extractive: keeps the record's most central sentences verbatim (up to three). It does not write new text or read the instructions.",
  },
  {
    id: "hosted",
    label: "OpenAI-compatible endpoint",
    description: "Any OpenAI-compatible API (OpenAI, Ollama, vLLM…). Record text is sent to it; its answer is checked against the output fields.",
  },
];

const DEFAULT_FIELDS: Record<EndpointChoice, OutputField[]> = {
  "local:classify": [
    { name: "category", type: "string" },
    { name: "category_score", type: "number" },
  ],
  "local:summarize": [{ name: "summary", type: "string" }],
  hosted: [{ name: "sentiment", type: "string", description: "positive, neutral or negative" }],
};

/**
 * The AI inference capability of a product: choose an endpoint, write the
 * instructions, declare the output fields; apply to all records with
 * progress and cancel; change or disable.
 */
export function InferencePanel({ domain, name, initial, canEdit }: Props) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const key = inferenceKey(domain, name);
  const { data: status = initial } = useQuery({
    queryKey: key,
    queryFn: () => fetchInference(domain, name),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.run.status === "running" ? 1000 : false),
  });
  const [editing, setEditing] = useState(false);
  const onStatus = (next: InferenceStatus) => queryClient.setQueryData(key, next);
  const save = useMutation({
    mutationFn: (config: InferenceInput) => putInference(domain, name, config),
    onSuccess: (next) => {
      onStatus(next);
      setEditing(false);
      router.refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => disableInference(domain, name),
    onSuccess: async () => {
      onStatus(await fetchInference(domain, name));
      router.refresh();
    },
  });
  const start = useMutation({ mutationFn: () => startRun(domain, name), onSuccess: onStatus });
  const cancel = useMutation({ mutationFn: () => cancelRun(domain, name), onSuccess: onStatus });
  const running = status.run.status === "running";
  const error = remove.error ?? start.error ?? cancel.error;

  return (
    <div className={`${card} p-4`}>
      <div className="flex items-start justify-between gap-3">
        <div>
          <h3 className="font-medium">AI inference</h3>
          <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">Enrich records with a model: its output becomes AI-derived fields.</p>
        </div>
        <InferenceBadge status={status} />
      </div>

      {status.enabled && !editing ? (
        <div className="mt-4 space-y-3 text-sm">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt className="text-zinc-500 dark:text-zinc-400">Endpoint</dt>
            <dd className="break-all font-mono text-xs leading-5">{status.endpoint}</dd>
            {status.model ? (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">Model</dt>
                <dd className="font-mono text-xs leading-5">{status.model}</dd>
              </>
            ) : null}
            {status.apiKeyEnv ? (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">API key</dt>
                <dd className="font-mono text-xs leading-5">${status.apiKeyEnv}</dd>
              </>
            ) : null}
            <dt className="text-zinc-500 dark:text-zinc-400">Output</dt>
            <dd className="font-mono text-xs leading-5">{status.outputFields.map((field) => `${field.name}: ${field.type}`).join(", ")}</dd>
            {status.labels.length ? (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">Labels</dt>
                <dd className="text-xs leading-5">{status.labels.join(" · ")}</dd>
              </>
            ) : null}
            <dt className="text-zinc-500 dark:text-zinc-400">Instructions</dt>
            <dd className="line-clamp-3 text-xs leading-5" title={status.instructions}>
              v{status.version}: {status.instructions}
            </dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Enriched</dt>
            <dd>
              {status.enriched.toLocaleString("en")} of {status.records.toLocaleString("en")} records
            </dd>
          </dl>

          {running ? (
            <ProgressBar
              label="Inference progress"
              tone="violet"
              done={status.run.processed + status.run.failed}
              total={status.run.total}
              caption={`Transforming records… ${(status.run.processed + status.run.failed).toLocaleString("en")} of ${status.run.total.toLocaleString("en")}`}
            />
          ) : (
            <LastRun status={status} />
          )}

          {canEdit ? (
            <div className="flex flex-wrap gap-2">
              {running ? (
                <button type="button" className={button.secondary} disabled={cancel.isPending} onClick={() => cancel.mutate()}>
                  Cancel run
                </button>
              ) : (
                <button
                  type="button"
                  className={button.primary}
                  disabled={start.isPending || status.records === 0}
                  onClick={() => start.mutate()}
                  title={`At most ${status.limits.maxRecordsPerRun.toLocaleString("en")} records a run, ${status.limits.maxConcurrency} calls at once`}
                >
                  Apply to all records
                </button>
              )}
              <button type="button" className={button.secondary} disabled={running} onClick={() => setEditing(true)}>
                Change
              </button>
              <button
                type="button"
                className={button.ghost}
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm("Disable AI inference? Every stored AI output of this product is deleted.")) remove.mutate();
                }}
              >
                Disable
              </button>
            </div>
          ) : null}
          {error ? (
            <p role="alert" className="text-red-600 dark:text-red-400">
              {error.message}
            </p>
          ) : null}
        </div>
      ) : !canEdit ? (
        <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">Off. An owner of the {domain} domain can switch it on.</p>
      ) : (
        <ConfigForm
          initial={status.enabled ? status : undefined}
          pending={save.isPending}
          error={save.error?.message}
          onCancel={status.enabled ? () => setEditing(false) : undefined}
          onSubmit={(config) => save.mutate(config)}
        />
      )}
    </div>
  );
}

function LastRun({ status }: { status: InferenceStatus }) {
  const { run } = status;
  if (!run.status) return null;
  const tone =
    run.status === "failed"
      ? "bg-red-50 text-red-800 dark:bg-red-950/50 dark:text-red-200"
      : run.failed > 0 || run.status === "cancelled"
        ? "bg-amber-50 text-amber-800 dark:bg-amber-500/10 dark:text-amber-200"
        : "bg-zinc-50 text-zinc-700 dark:bg-zinc-800/60 dark:text-zinc-300";
  return (
    <div className={`rounded-md px-3 py-2 text-xs ${tone}`} role="status">
      Last run {run.status}: {run.processed.toLocaleString("en")} of {run.total.toLocaleString("en")} transformed
      {run.failed ? `, ${run.failed.toLocaleString("en")} failed` : ""}.
      {run.error ? <span className="mt-1 block break-words">{run.error}</span> : null}
    </div>
  );
}

function InferenceBadge({ status }: { status: InferenceStatus }) {
  const [text, style] = !status.enabled
    ? ["off", "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400"]
    : status.run.status === "running"
      ? ["running", "bg-sky-50 text-sky-700 dark:bg-sky-500/10 dark:text-sky-300"]
      : ["on", "bg-emerald-50 text-emerald-700 dark:bg-emerald-500/10 dark:text-emerald-400"];
  return <span className={`shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ${style}`}>{text}</span>;
}

function ConfigForm({
  initial,
  pending,
  error,
  onCancel,
  onSubmit,
}: {
  initial?: InferenceStatus;
  pending: boolean;
  error?: string;
  onCancel?: () => void;
  onSubmit: (config: InferenceInput) => void;
}) {
  const initialChoice: EndpointChoice = initial ? endpointKind(initial.endpoint ?? "") : "local:classify";
  const [choice, setChoice] = useState<EndpointChoice>(initialChoice);
  const [baseUrl, setBaseUrl] = useState(initialChoice === "hosted" ? (initial?.endpoint ?? "") : "");
  const [model, setModel] = useState(initial?.model ?? "");
  const [apiKeyEnv, setApiKeyEnv] = useState(initial?.apiKeyEnv ?? "");
  const [instructions, setInstructions] = useState(initial?.instructions ?? "");
  const [fields, setFields] = useState<OutputField[]>(initial?.outputFields.length ? initial.outputFields : DEFAULT_FIELDS[initialChoice]);
  const [labels, setLabels] = useState((initial?.labels ?? []).join("\n"));

  const pick = (next: EndpointChoice) => {
    setChoice(next);
    setFields(DEFAULT_FIELDS[next]);
  };
  const setField = (index: number, patch: Partial<OutputField>) =>
    setFields((current) => current.map((field, i) => (i === index ? { ...field, ...patch } : field)));

  return (
    <form
      className="mt-4 space-y-4 text-sm"
      aria-label="AI inference settings"
      onSubmit={(event) => {
        event.preventDefault();
        const labelList = labels.split(/\n|,/).map((item) => item.trim()).filter(Boolean);
        onSubmit({
          endpoint: choice === "hosted" ? baseUrl.trim() : choice,
          ...(choice === "hosted" && model.trim() ? { model: model.trim() } : {}),
          ...(choice === "hosted" && apiKeyEnv.trim() ? { apiKeyEnv: apiKeyEnv.trim() } : {}),
          instructions,
          outputFields: fields.map((field) => ({
            name: field.name.trim(),
            type: field.type,
            ...(field.description?.trim() ? { description: field.description.trim() } : {}),
          })),
          ...(choice === "local:classify" ? { labels: labelList } : {}),
        });
      }}
    >
      <fieldset>
        <legend className={label}>Model</legend>
        <div className="mt-1 space-y-1.5">
          {CHOICES.map((option) => (
            <label key={option.id} className="flex items-start gap-2">
              <input type="radio" name="endpoint-choice" className="mt-0.5 size-4 accent-indigo-600" checked={choice === option.id} onChange={() => pick(option.id)} />
              <span>
                <span className="font-medium">{option.label}</span>
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">{option.description}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {choice === "hosted" ? (
        <div className="grid gap-3">
          <div>
            <label htmlFor="inference-base-url" className={label}>
              Base URL
            </label>
            <input
              id="inference-base-url"
              className={`${input} mt-1 font-mono`}
              placeholder="https://api.openai.com/v1"
              value={baseUrl}
              onChange={(event) => setBaseUrl(event.target.value)}
              required
            />
          </div>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <label htmlFor="inference-model" className={label}>
                Model name
              </label>
              <input id="inference-model" className={`${input} mt-1 font-mono`} placeholder="gpt-4o-mini" value={model} onChange={(event) => setModel(event.target.value)} required />
            </div>
            <div>
              <label htmlFor="inference-key-env" className={label}>
                API key variable
              </label>
              <input
                id="inference-key-env"
                className={`${input} mt-1 font-mono`}
                placeholder="OPENAI_API_KEY"
                value={apiKeyEnv}
                onChange={(event) => setApiKeyEnv(event.target.value.toUpperCase())}
                aria-describedby="inference-key-help"
              />
            </div>
          </div>
          <p id="inference-key-help" className="text-xs text-zinc-500 dark:text-zinc-400">
            The name of a server environment variable that holds the key (allowed by the operator); the key itself is never stored.
          </p>
        </div>
      ) : null}

      <div>
        <label htmlFor="inference-instructions" className={label}>
          Instructions
        </label>
        <textarea
          id="inference-instructions"
          className={`${input} mt-1 min-h-20`}
          placeholder="Classify the customer's sentiment…"
          value={instructions}
          onChange={(event) => setInstructions(event.target.value)}
          required
        />
      </div>

      {choice === "local:classify" ? (
        <div>
          <label htmlFor="inference-labels" className={label}>
            Labels
          </label>
          <textarea
            id="inference-labels"
            className={`${input} mt-1 min-h-20`}
            placeholder={"positive\nnegative\nneutral"}
            value={labels}
            onChange={(event) => setLabels(event.target.value)}
            aria-describedby="inference-labels-help"
          />
          <p id="inference-labels-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            One per line. Descriptive labels (&ldquo;angry customer asking for a refund&rdquo;) match better than single words.
          </p>
        </div>
      ) : null}

      <fieldset>
        <legend className={label}>Output fields</legend>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {choice === "local:classify"
            ? "One text field for the label; optionally one number field for its score."
            : choice === "local:summarize"
              ? "One text field for the summary."
              : "The model must answer with exactly these fields."}
        </p>
        <div className="mt-2 space-y-2">
          {fields.map((field, index) => (
            <div key={index} className="grid grid-cols-[1fr_6.5rem_auto] gap-2">
              <input
                aria-label={`Output field ${index + 1} name`}
                className={`${input} font-mono`}
                value={field.name}
                placeholder="field_name"
                onChange={(event) => setField(index, { name: event.target.value })}
              />
              <select
                aria-label={`Output field ${index + 1} type`}
                className={input}
                value={field.type}
                onChange={(event) => setField(index, { type: event.target.value as OutputFieldType })}
              >
                {OUTPUT_FIELD_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className={button.ghost}
                aria-label={`Remove output field ${index + 1}`}
                disabled={fields.length === 1}
                onClick={() => setFields((current) => current.filter((_, i) => i !== index))}
              >
                ✕
              </button>
              <input
                aria-label={`Output field ${index + 1} description`}
                className={`${input} col-span-3 text-xs`}
                value={field.description ?? ""}
                placeholder="Description (optional; hosted models read it)"
                onChange={(event) => setField(index, { description: event.target.value })}
              />
            </div>
          ))}
        </div>
        <button type="button" className={`${button.ghost} mt-2`} onClick={() => setFields((current) => [...current, { name: "", type: "string" }])} disabled={fields.length >= 20}>
          + Add field
        </button>
      </fieldset>

      <FormFooter error={error} pending={pending} submitLabel={initial ? "Save" : "Enable inference"} onCancel={onCancel} />
    </form>
  );
}
