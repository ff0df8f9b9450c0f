"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Controller, useFieldArray, useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { endpointKind, type EndpointKind } from "@/lib/mesh/inference";
import { inferenceInputSchema, OUTPUT_FIELD_TYPES, type InferenceInput, type InferenceStatus, type OutputField } from "@/lib/validation/inference";
import { ApiError } from "../api-client";
import { ActionError, CapabilityCard, DisableButton, OffForReaders, type CapabilityState } from "../ui/capability-card";
import { errorId, errorMessage, Field, FieldError, showServerErrors } from "../ui/form";
import { FormFooter } from "../ui/form-footer";
import { HostedPiiChoice, hostedPiiText } from "../ui/hosted-pii";
import { ProgressBar } from "../ui/progress-bar";
import { button, input, label } from "../ui/styles";
import { cancelRun, disableInference, fetchInference, inferenceKey, putInference, startRun } from "./api";

type Props = {
  domain: string;
  name: string;
  initial: InferenceStatus;
  /** Fields marked PII: withheld from a hosted endpoint unless the owner allows them. */
  piiFields: string[];
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
export function InferencePanel({ domain, name, initial, piiFields, canEdit }: Props) {
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
    <CapabilityCard title="AI inference" purpose="Enrich records with a model: its output becomes AI-derived fields." state={stateOf(status)}>

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
            {endpointKind(status.endpoint ?? "") === "hosted" ? (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">PII</dt>
                <dd>{hostedPiiText(piiFields, status.hostedPii)}</dd>
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
              <DisableButton
                warning="Disable AI inference? Every stored AI output of this product is deleted."
                pending={remove.isPending}
                onDisable={() => remove.mutate()}
              />
            </div>
          ) : null}
          <ActionError error={error} />
        </div>
      ) : !canEdit ? (
        <OffForReaders domain={domain} />
      ) : (
        <ConfigForm
          piiFields={piiFields}
          initial={status.enabled ? status : undefined}
          onCancel={status.enabled ? () => setEditing(false) : undefined}
          onSave={(config) => save.mutateAsync(config)}
        />
      )}
    </CapabilityCard>
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

function stateOf(status: InferenceStatus): CapabilityState {
  if (!status.enabled) return { text: "off", tone: "off" };
  return status.run.status === "running" ? { text: "running", tone: "busy" } : { text: "on", tone: "on" };
}

const CONFIG_FIELDS = ["endpoint", "model", "apiKeyEnv", "instructions", "outputFields", "labels", "hostedPii"] as const;
type FormValues = z.input<typeof inferenceInputSchema>;

/** Empty optional text inputs are left out, as the API expects. */
const optionalText = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** What is sent for the chosen kind of endpoint: a model, key and the PII choice only for hosted ones, labels only for the classifier. */
function forChoice(choice: EndpointChoice, { model, apiKeyEnv, labels, hostedPii, ...common }: FormValues): FormValues {
  return { ...common, ...(choice === "hosted" ? { model, apiKeyEnv, hostedPii } : {}), ...(choice === "local:classify" ? { labels } : {}) };
}

/**
 * Choose the endpoint, write the instructions, declare the output fields:
 * validated with the route's own schema; the server's field errors (a refused
 * endpoint, an output field that is a schema field) shown beside the fields.
 */
function ConfigForm({
  piiFields,
  initial,
  onCancel,
  onSave,
}: {
  piiFields: string[];
  initial?: InferenceStatus;
  onCancel?: () => void;
  onSave: (config: InferenceInput) => Promise<unknown>;
}) {
  const initialChoice: EndpointChoice = initial ? endpointKind(initial.endpoint ?? "") : "local:classify";
  const [choice, setChoice] = useState<EndpointChoice>(initialChoice);
  const choiceRef = useRef(choice);
  const form = useForm<FormValues, unknown, InferenceInput>({
    // The route's schema checks exactly what will be sent for the chosen endpoint.
    resolver: (values, context, options) => zodResolver(inferenceInputSchema)(forChoice(choiceRef.current, values), context, options),
    defaultValues: {
      endpoint: initial?.endpoint ?? initialChoice,
      model: initial?.model ?? undefined,
      apiKeyEnv: initial?.apiKeyEnv ?? undefined,
      instructions: initial?.instructions ?? "",
      outputFields: initial?.outputFields.length ? initial.outputFields : DEFAULT_FIELDS[initialChoice],
      labels: initial?.labels ?? [],
      hostedPii: initial?.hostedPii ?? false,
    },
  });
  const {
    register,
    control,
    handleSubmit,
    setValue,
    formState: { errors, isSubmitting },
  } = form;
  const outputFields = useFieldArray({ control, name: "outputFields" });
  const hostedPii = useWatch({ control, name: "hostedPii" }) ?? false;
  const err = (path: string) => errorMessage(errors, path);
  /** The input of `path` with the element id `id`, tied to its error message (the Field of that id shows it). */
  const a11y = (path: string, id: string) => ({ id, "aria-invalid": Boolean(err(path)), "aria-describedby": err(path) ? errorId(id) : undefined });

  const pick = (next: EndpointChoice) => {
    choiceRef.current = next;
    setChoice(next);
    setValue("endpoint", next === "hosted" ? (initialChoice === "hosted" ? (initial?.endpoint ?? "") : "") : next);
    outputFields.replace(DEFAULT_FIELDS[next]);
  };
  const onSubmit = handleSubmit(async (values) => {
    try {
      await onSave(values);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showServerErrors(form, { message: error.message, fieldErrors: error.fieldErrors }, CONFIG_FIELDS);
    }
  });

  return (
    <form className="mt-4 space-y-4 text-sm" aria-label="AI inference settings" noValidate onSubmit={onSubmit}>
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
        {choice !== "hosted" ? <FieldError path="endpoint" message={err("endpoint")} /> : null}
      </fieldset>

      {choice === "hosted" ? (
        <div className="grid gap-3">
          <Field id="inference-base-url" label="Base URL" error={err("endpoint")}>
            <input className={`${input} font-mono`} placeholder="https://api.openai.com/v1" {...a11y("endpoint", "inference-base-url")} {...register("endpoint")} />
          </Field>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field id="inference-model" label="Model name" error={err("model")}>
              <input
                className={`${input} font-mono`}
                placeholder="gpt-4o-mini"
                {...a11y("model", "inference-model")}
                {...register("model", { setValueAs: optionalText })}
              />
            </Field>
            <Field id="inference-key-env" label="API key variable" error={err("apiKeyEnv")}>
              <input
                className={`${input} font-mono`}
                placeholder="OPENAI_API_KEY"
                {...a11y("apiKeyEnv", "inference-key-env")}
                aria-describedby={err("apiKeyEnv") ? errorId("inference-key-env") : "inference-key-help"}
                {...register("apiKeyEnv", { setValueAs: (value: unknown) => (typeof value === "string" ? optionalText(value.toUpperCase()) : value) })}
              />
            </Field>
          </div>
          <p id="inference-key-help" className="text-xs text-zinc-500 dark:text-zinc-400">
            The name of a server environment variable that holds the key (allowed by the operator); the key itself is never stored.
          </p>
          <HostedPiiChoice piiFields={piiFields} checked={hostedPii} input={register("hostedPii")} reaches="the endpoint" />
        </div>
      ) : null}

      <Field id="inference-instructions" label="Instructions" error={err("instructions")}>
        <textarea
          className={`${input} min-h-20`}
          placeholder="Classify the customer's sentiment…"
          {...a11y("instructions", "inference-instructions")}
          {...register("instructions")}
        />
      </Field>

      {choice === "local:classify" ? (
        <div>
          <label htmlFor="inference-labels" className={label}>
            Labels
          </label>
          <Controller
            control={control}
            name="labels"
            render={({ field }) => (
              <LabelsInput id="inference-labels" value={field.value ?? []} onChange={field.onChange} onBlur={field.onBlur} invalid={Boolean(err("labels"))} />
            )}
          />
          <FieldError path="labels" message={err("labels")} />
          <p id="inference-labels-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            One per line. Descriptive labels (&ldquo;angry customer asking for a refund&rdquo;) match better than single words.
          </p>
        </div>
      ) : null}

      <fieldset aria-describedby={err("outputFields") ? errorId("outputFields") : undefined}>
        <legend className={label}>Output fields</legend>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {choice === "local:classify"
            ? "One text field for the label; optionally one number field for its score."
            : choice === "local:summarize"
              ? "One text field for the summary."
              : "The model must answer with exactly these fields."}
        </p>
        <div className="mt-2 space-y-2">
          {outputFields.fields.map((item, index) => (
            <div key={item.id} className="grid grid-cols-[1fr_6.5rem_auto] gap-2">
              <input
                aria-label={`Output field ${index + 1} name`}
                className={`${input} font-mono`}
                placeholder="field_name"
                {...a11y(`outputFields.${index}.name`, `outputFields.${index}.name`)}
                {...register(`outputFields.${index}.name`)}
              />
              <select aria-label={`Output field ${index + 1} type`} className={input} {...register(`outputFields.${index}.type`)}>
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
                disabled={outputFields.fields.length === 1}
                onClick={() => outputFields.remove(index)}
              >
                ✕
              </button>
              <input
                aria-label={`Output field ${index + 1} description`}
                className={`${input} col-span-3 text-xs`}
                placeholder="Description (optional; hosted models read it)"
                {...register(`outputFields.${index}.description`, { setValueAs: optionalText })}
              />
              <div className="col-span-3 empty:hidden">
                <FieldError path={`outputFields.${index}.name`} message={err(`outputFields.${index}.name`)} />
                <FieldError path={`outputFields.${index}.description`} message={err(`outputFields.${index}.description`)} />
              </div>
            </div>
          ))}
        </div>
        <FieldError path="outputFields" message={err("outputFields")} />
        <button
          type="button"
          className={`${button.ghost} mt-2`}
          onClick={() => outputFields.append({ name: "", type: "string" })}
          disabled={outputFields.fields.length >= 20}
        >
          + Add field
        </button>
      </fieldset>

      <FormFooter error={errors.root?.server?.message} pending={isSubmitting} submitLabel={initial ? "Save" : "Enable inference"} onCancel={onCancel} />
    </form>
  );
}

/** The labels as a textarea, one per line (commas split too); the form holds them as a list. */
function LabelsInput({
  id,
  value,
  onChange,
  onBlur,
  invalid,
}: {
  id: string;
  value: string[];
  onChange: (labels: string[]) => void;
  onBlur: () => void;
  invalid: boolean;
}) {
  const [text, setText] = useState(value.join("\n"));
  return (
    <textarea
      id={id}
      className={`${input} mt-1 min-h-20`}
      placeholder={"positive\nnegative\nneutral"}
      value={text}
      aria-invalid={invalid}
      aria-describedby={invalid ? errorId("labels") : "inference-labels-help"}
      onBlur={onBlur}
      onChange={(event) => {
        setText(event.target.value);
        onChange(event.target.value.split(/\n|,/).map((item) => item.trim()).filter(Boolean));
      }}
    />
  );
}
