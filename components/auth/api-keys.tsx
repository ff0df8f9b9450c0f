"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/action-result";
import type { ApiKeySummary } from "@/lib/services/accounts";
import { apiKeyInputSchema, type ApiKeyInput } from "@/lib/validation/accounts";
import { FieldError, FormError, useActionForm } from "../ui/form";
import { button, card, input, label } from "../ui/styles";

/** The settings page's server actions (app/settings/actions.ts), handed in by the page. */
export interface ApiKeyActions {
  create: (input: ApiKeyInput) => Promise<ActionResult<{ id: string; key: string }>>;
  revoke: (id: string) => Promise<ActionResult<{ id: string }>>;
}

/** Create (the key is shown once), list and revoke the signed-in user's API keys. */
export function ApiKeys({ keys, actions }: { keys: ApiKeySummary[]; actions: ApiKeyActions }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const [copied, setCopied] = useState(false);

  const { form, onSubmit, err, a11y } = useActionForm(apiKeyInputSchema, { name: "" }, actions.create, (data, { name }) => {
    setCreated({ name, key: data.key });
    setCopied(false);
  });

  function onRevoke(key: ApiKeySummary) {
    if (!window.confirm(`Revoke the key "${key.name}"? Scripts that use it stop working.`)) return;
    setError(undefined);
    startTransition(async () => {
      const result = await actions.revoke(key.id);
      if (!result.ok) setError(result.error);
      router.refresh();
    });
  }

  async function copy(key: string) {
    await navigator.clipboard.writeText(key);
    setCopied(true);
  }

  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} noValidate className={`${card} flex flex-wrap items-start gap-3 p-4`} aria-label="Create an API key">
        <div className="min-w-60 flex-1">
          <label htmlFor="key-name" className={label}>
            Name
          </label>
          <input placeholder="nightly-load script" className={`${input} mt-1`} {...a11y("name", "key-name")} {...form.register("name")} />
          <FieldError path="key-name" message={err("name")} />
        </div>
        <button type="submit" className={`${button.primary} mt-6`} disabled={pending || form.formState.isSubmitting}>
          Create key
        </button>
      </form>
      <FormError message={form.formState.errors.root?.server?.message ?? error} />
      {created ? (
        <div role="status" className="rounded-xl border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-800 dark:bg-emerald-950/40">
          <p className="font-medium text-emerald-900 dark:text-emerald-200">
            Your new key &ldquo;{created.name}&rdquo;. Copy it now: it is not shown again.
          </p>
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <code aria-label="New API key" className="min-w-0 flex-1 break-all rounded-md bg-white px-3 py-2 font-mono text-xs dark:bg-zinc-900">
              {created.key}
            </code>
            <button type="button" className={button.secondary} onClick={() => copy(created.key)}>
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      ) : null}
      {keys.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No API keys yet.</p>
      ) : (
        <ul className={`${card} divide-y divide-zinc-200 dark:divide-zinc-800`} aria-label="Your API keys">
          {keys.map((key) => (
            <li key={key.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
              <div className="min-w-0">
                <p className="font-medium">{key.name}</p>
                <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">
                  {key.start}… · created {key.createdAt.slice(0, 10)} · {key.lastUsedAt ? `last used ${key.lastUsedAt.slice(0, 10)}` : "never used"}
                </p>
              </div>
              <button type="button" className={button.ghost} onClick={() => onRevoke(key)} disabled={pending} aria-label={`Revoke ${key.name}`}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
