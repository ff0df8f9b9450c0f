"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { ApiError } from "@/components/api-client";
import type { StoredWebhook } from "@/lib/services/webhooks";
import { webhookInputSchema, type WebhookFormValues, type WebhookInput } from "@/lib/validation/notifications";
import { errorId, errorMessage, FormError, showServerErrors } from "../ui/form";
import { button, card, input, label } from "../ui/styles";
import { createWebhook, deleteWebhook, testWebhook, webhookDeliveries, type CreatedWebhook } from "./api";

/** The settings page's webhooks of the domains the user may change: add (the secret is shown once), test, see deliveries, delete. */
export function WebhooksPanel({ domains, webhooks }: { domains: string[]; webhooks: StoredWebhook[] }) {
  const router = useRouter();
  const [domain, setDomain] = useState(domains[0] ?? "");
  const [created, setCreated] = useState<CreatedWebhook>();
  const form = useForm<WebhookFormValues, unknown, WebhookInput>({ resolver: zodResolver(webhookInputSchema), defaultValues: { url: "", description: "" } });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      setCreated(await createWebhook(domain, values));
      form.reset();
      router.refresh();
    } catch (error) {
      if (error instanceof ApiError) showServerErrors(form, error, ["url", "description"]);
      else throw error;
    }
  });
  const urlError = errorMessage(form.formState.errors, "url");

  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} noValidate className={`${card} grid gap-3 p-4 sm:grid-cols-[10rem_1fr_14rem_auto]`} aria-label="Add a webhook">
        <div>
          <label htmlFor="webhook-domain" className={label}>
            Domain
          </label>
          <select id="webhook-domain" className={`${input} mt-1`} value={domain} onChange={(event) => setDomain(event.target.value)}>
            {domains.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="webhook-url" className={label}>
            URL
          </label>
          <input
            id="webhook-url"
            placeholder="https://hooks.example.com/mesh"
            className={`${input} mt-1`}
            aria-invalid={Boolean(urlError)}
            aria-describedby={urlError ? errorId("webhook-url") : undefined}
            {...form.register("url")}
          />
          {urlError ? (
            <p id={errorId("webhook-url")} className="mt-1 text-xs text-red-600 dark:text-red-400">
              {urlError}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="webhook-description" className={label}>
            Description
          </label>
          <input id="webhook-description" placeholder="On-call channel" className={`${input} mt-1`} {...form.register("description")} />
        </div>
        <button type="submit" className={`${button.primary} self-end`} disabled={form.formState.isSubmitting || !domain}>
          Add webhook
        </button>
      </form>
      <FormError message={form.formState.errors.root?.server?.message} />
      {created ? (
        <div role="status" className="rounded-xl border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-800 dark:bg-emerald-950/40">
          <p className="font-medium text-emerald-900 dark:text-emerald-200">
            Signing secret of the webhook to {created.url}. Copy it now: it is not shown again.
          </p>
          <code aria-label="Webhook secret" className="mt-2 block break-all rounded-md bg-white px-3 py-2 font-mono text-xs dark:bg-zinc-900">
            {created.secret}
          </code>
        </div>
      ) : null}
      {webhooks.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No webhooks yet.</p>
      ) : (
        <ul className={`${card} divide-y divide-zinc-200 dark:divide-zinc-800`} aria-label="Webhooks">
          {webhooks.map((webhook) => (
            <WebhookRow key={webhook.id} webhook={webhook} onDeleted={() => router.refresh()} />
          ))}
        </ul>
      )}
    </div>
  );
}

function WebhookRow({ webhook, onDeleted }: { webhook: StoredWebhook; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const deliveries = useQuery({ queryKey: ["webhook-deliveries", webhook.id], queryFn: () => webhookDeliveries(webhook.domain, webhook.id), enabled: open });
  const test = useMutation({ mutationFn: () => testWebhook(webhook.domain, webhook.id), onSuccess: () => deliveries.refetch() });
  const remove = useMutation({ mutationFn: () => deleteWebhook(webhook.domain, webhook.id), onSuccess: onDeleted });
  const error = test.error ?? remove.error ?? deliveries.error;

  return (
    <li className="space-y-2 px-4 py-3 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">{webhook.domain}</span>
        <span className="min-w-0 flex-1 break-all font-mono text-xs">{webhook.url}</span>
        {webhook.description ? <span className="text-zinc-500 dark:text-zinc-400">{webhook.description}</span> : null}
        <button type="button" className={button.ghost} disabled={test.isPending} onClick={() => (setOpen(true), test.mutate())}>
          {test.isPending ? "Sending…" : "Test"}
        </button>
        <button type="button" className={button.ghost} aria-expanded={open} onClick={() => setOpen(!open)}>
          Deliveries
        </button>
        <button
          type="button"
          className={button.ghost}
          disabled={remove.isPending}
          aria-label={`Delete the webhook to ${webhook.url}`}
          onClick={() => window.confirm(`Delete the webhook to ${webhook.url} and its delivery log?`) && remove.mutate()}
        >
          Delete
        </button>
      </div>
      {test.data ? (
        <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
          Test {test.data.status === "delivered" ? `delivered (${test.data.lastStatusCode})` : `not delivered: ${test.data.lastError}`}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error.message}
        </p>
      ) : null}
      {open && deliveries.data ? (
        deliveries.data.deliveries.length === 0 ? (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">Nothing delivered yet.</p>
        ) : (
          <table className="w-full text-left text-xs" aria-label={`Deliveries to ${webhook.url}`}>
            <thead className="text-zinc-500 dark:text-zinc-400">
              <tr>
                <th className="py-1 font-medium">Event</th>
                <th className="py-1 font-medium">Status</th>
                <th className="py-1 font-medium">Attempts</th>
                <th className="py-1 font-medium">Last answer</th>
                <th className="py-1 font-medium">Created</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.deliveries.map((delivery) => (
                <tr key={delivery.id} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="py-1 font-mono">{delivery.type}</td>
                  <td className="py-1">{delivery.status === "pending" && delivery.nextAttemptAt ? `pending, next ${delivery.nextAttemptAt.slice(11, 19)} UTC` : delivery.status}</td>
                  <td className="py-1">{delivery.attempts}</td>
                  <td className="py-1">{delivery.lastError ?? delivery.lastStatusCode ?? "—"}</td>
                  <td className="py-1">{delivery.createdAt.slice(0, 19).replace("T", " ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </li>
  );
}
