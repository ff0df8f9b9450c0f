"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { get, useForm, type DefaultValues, type FieldErrors, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import type { ActionResult } from "@/lib/action-result";
import { label as labelClass } from "./styles";

/** The message of the error at `path`, array-level errors included. */
export function errorMessage(errors: FieldErrors<FieldValues>, path: string): string | undefined {
  const error = get(errors, path) as { message?: unknown; root?: { message?: unknown } } | undefined;
  if (!error) return undefined;
  if (typeof error.message === "string" && error.message) return error.message;
  if (typeof error.root?.message === "string") return error.root.message;
  return undefined;
}

export const errorId = (path: string) => `${path.replaceAll(".", "-")}-error`;

export function FieldError({ path, message }: { path: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={errorId(path)} role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
      {message}
    </p>
  );
}

export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <div className="mt-1">{children}</div>
      {hint && !error ? <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{hint}</p> : null}
      <FieldError path={id} message={error} />
    </div>
  );
}

export function FormSection({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <section className="grid gap-6 border-b border-zinc-200 pb-8 md:grid-cols-3 dark:border-zinc-800">
      <div>
        <h2 className="text-base font-semibold tracking-tight">{title}</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
      </div>
      <div className="space-y-5 md:col-span-2">{children}</div>
    </section>
  );
}

/**
 * Shows a server's refusal on a form: each field error beside its field (when
 * the form has that field), the message and any other field errors at the top
 * (`errors.root.server`).
 */
export function showServerErrors<T extends FieldValues>(
  form: Pick<UseFormReturn<T>, "setError">,
  { message, fieldErrors = {} }: { message: string; fieldErrors?: Record<string, string[]> },
  fields: readonly string[],
): void {
  const elsewhere: string[] = [];
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const known = fields.some((field) => path === field || path.startsWith(`${field}.`));
    if (known) form.setError(path as Path<T>, { type: "server", message: messages.join(" ") });
    else elsewhere.push(...messages);
  }
  form.setError("root.server", { type: "server", message: [message, ...elsewhere].join(" ") });
}

/** The form-level error (a server refusal) above or below a form. */
export function FormError({ message }: { message?: string }) {
  return message ? (
    <p role="alert" className="text-sm text-red-600 dark:text-red-400">
      {message}
    </p>
  ) : null;
}

/**
 * A form that a server action submits: validated in the browser with the
 * action's own zod schema, the action's refusal shown beside the fields; on
 * success `onDone` runs, the form is cleared and the page refreshed.
 */
export function useActionForm<Input extends FieldValues, Output, Data>(
  schema: z.ZodType<Output, Input>,
  defaultValues: DefaultValues<Input>,
  submit: (values: Output) => Promise<ActionResult<Data>>,
  onDone?: (data: Data, values: Output) => void,
) {
  const router = useRouter();
  const form = useForm<Input, unknown, Output>({ resolver: zodResolver(schema), defaultValues });
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await submit(values);
    if (!result.ok) {
      showServerErrors(form, { message: result.error, fieldErrors: result.fieldErrors }, Object.keys(defaultValues ?? {}));
      return;
    }
    onDone?.(result.data, values);
    form.reset();
    router.refresh();
  });
  const err = (path: string) => errorMessage(form.formState.errors, path);
  /** Props that tie the input of `path` (with the element id `id`) to its error message (a FieldError with path `id`). */
  const a11y = (path: string, id = path) => ({ id, "aria-invalid": Boolean(err(path)), "aria-describedby": err(path) ? errorId(id) : undefined });
  return { form, onSubmit, err, a11y };
}
