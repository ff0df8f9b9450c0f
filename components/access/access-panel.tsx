"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, ApiError } from "@/components/api-client";
import { errorId, errorMessage, Field, FormError, showServerErrors } from "@/components/ui/form";
import { button, card, input } from "@/components/ui/styles";
import { ACCESS_DAY_CHOICES } from "@/lib/mesh/access";
import { accessPath, accessRequestApiPath, accessRequestsApiPath, grantApiPath, type ProductRef } from "@/lib/paths";
import { accessRequestInputSchema, type AccessGrant, type AccessRequest, type AccessRequestFormValues, type AccessRequestInput } from "@/lib/validation/access";

/**
 * A restricted product's access, on its page: a reader without access asks
 * (purpose, days) and follows their requests; the domain's owners approve
 * (optionally for fewer days) or deny pending requests and revoke grants.
 * The server decides each of these; the page is refreshed after each.
 */

const day = (iso: string) => iso.slice(0, 10);

function DayOptions({ choices }: { choices: readonly number[] }) {
  return choices.map((days) => (
    <option key={days} value={days}>
      {days} days
    </option>
  ));
}

export function RequestAccessForm({ product }: { product: ProductRef }) {
  const router = useRouter();
  const form = useForm<AccessRequestFormValues, unknown, AccessRequestInput>({ resolver: zodResolver(accessRequestInputSchema), defaultValues: { purpose: "", days: 30 } });
  const err = (path: string) => errorMessage(form.formState.errors, path);
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await api<AccessRequest>(accessRequestsApiPath(product), { method: "POST", body: values });
      form.reset();
      router.refresh();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showServerErrors(form, { message: error.message, fieldErrors: error.fieldErrors }, ["purpose", "days"]);
    }
  });
  return (
    <form onSubmit={onSubmit} className={`${card} space-y-4 p-4`} aria-label="Request access" noValidate>
      <Field id="access-purpose" label="Purpose" error={err("purpose")} hint="What you need the records for; the domain's owners read it.">
        <textarea
          id="access-purpose"
          rows={2}
          className={input}
          aria-invalid={Boolean(err("purpose"))}
          aria-describedby={err("purpose") ? errorId("access-purpose") : undefined}
          {...form.register("purpose")}
        />
      </Field>
      <Field id="access-days" label="For" error={err("days")}>
        <select id="access-days" className={`${input} max-w-40`} {...form.register("days", { valueAsNumber: true })}>
          <DayOptions choices={ACCESS_DAY_CHOICES} />
        </select>
      </Field>
      <FormError message={errorMessage(form.formState.errors, "root.server")} />
      <button type="submit" className={button.primary} disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Sending…" : "Request access"}
      </button>
    </form>
  );
}

const STATUS_STYLE: Record<AccessRequest["status"], string> = {
  pending: "text-amber-700 dark:text-amber-300",
  approved: "text-emerald-700 dark:text-emerald-400",
  denied: "text-red-700 dark:text-red-400",
};

/** One request: who, why, for how long, and its state; with the decision controls for a decider of a pending one. */
export function AccessRequestItem({ request, canDecide, showProduct = false }: { request: AccessRequest; canDecide: boolean; showProduct?: boolean }) {
  return (
    <li className="space-y-2 px-4 py-3 text-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p>
          {showProduct ? (
            <>
              <Link href={accessPath(request.product)} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                {request.product.title}
              </Link>
              {" · "}
            </>
          ) : null}
          <span className="font-medium">{request.requester}</span> asks for {request.days} days
          <span className="text-zinc-500 dark:text-zinc-400"> · {day(request.createdAt)}</span>
        </p>
        <span className={`text-xs font-medium uppercase tracking-wide ${STATUS_STYLE[request.status]}`}>{request.status}</span>
      </div>
      <p className="whitespace-pre-line text-zinc-700 dark:text-zinc-300">{request.purpose}</p>
      {request.status === "denied" && request.reason ? (
        <p className="text-zinc-600 dark:text-zinc-400">
          Denied by {request.decidedBy}: {request.reason}
        </p>
      ) : null}
      {request.status === "approved" ? <p className="text-zinc-600 dark:text-zinc-400">Approved by {request.decidedBy}</p> : null}
      {canDecide && request.status === "pending" ? <Decision request={request} /> : null}
    </li>
  );
}

function Decision({ request }: { request: AccessRequest }) {
  const router = useRouter();
  const [days, setDays] = useState(request.days);
  const [reason, setReason] = useState("");
  const product = request.product;
  const decide = useMutation({
    mutationFn: (decision: "approve" | "deny") =>
      api<AccessRequest>(accessRequestApiPath(product, request.id, decision), { method: "POST", body: decision === "approve" ? { days } : { reason } }),
    onSuccess: () => router.refresh(),
  });
  const choices = [...new Set([...ACCESS_DAY_CHOICES.filter((choice) => choice < request.days), request.days])];
  return (
    <div className="flex flex-wrap items-end gap-3">
      <label className="text-xs text-zinc-600 dark:text-zinc-400">
        Grant for
        <select className={`${input} mt-1 max-w-40`} value={days} onChange={(event) => setDays(Number(event.target.value))} aria-label={`Days to grant ${request.requester}`}>
          <DayOptions choices={choices} />
        </select>
      </label>
      <button type="button" className={button.primary} disabled={decide.isPending} onClick={() => decide.mutate("approve")}>
        Approve
      </button>
      <label className="min-w-48 flex-1 text-xs text-zinc-600 dark:text-zinc-400">
        Reason to deny
        <input className={`${input} mt-1`} value={reason} onChange={(event) => setReason(event.target.value)} aria-label={`Reason to deny ${request.requester}`} />
      </label>
      <button type="button" className={button.secondary} disabled={decide.isPending} onClick={() => decide.mutate("deny")}>
        Deny
      </button>
      {decide.error ? (
        <p role="alert" className="basis-full text-sm text-red-600 dark:text-red-400">
          {decide.error.message}
        </p>
      ) : null}
    </div>
  );
}

export function GrantItem({ product, grant, canRevoke }: { product: ProductRef; grant: AccessGrant; canRevoke: boolean }) {
  const router = useRouter();
  const revoke = useMutation({ mutationFn: () => api<void>(grantApiPath(product, grant.id), { method: "DELETE" }), onSuccess: () => router.refresh() });
  const state =
    grant.state === "active" ? `until ${day(grant.expiresAt)}` : grant.state === "expired" ? `expired ${day(grant.expiresAt)}` : `revoked ${day(grant.revokedAt ?? grant.expiresAt)}`;
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
      <p>
        <span className="font-medium">{grant.user}</span> reads the records {state}
        <span className="text-zinc-500 dark:text-zinc-400"> · granted by {grant.grantedBy}</span>
      </p>
      {canRevoke && grant.state === "active" ? (
        <button type="button" className={button.danger} disabled={revoke.isPending} onClick={() => revoke.mutate()}>
          Revoke
        </button>
      ) : null}
      {revoke.error ? (
        <p role="alert" className="basis-full text-sm text-red-600 dark:text-red-400">
          {revoke.error.message}
        </p>
      ) : null}
    </li>
  );
}
