"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/action-result";
import type { DomainSummary, UserSummary } from "@/lib/services/accounts";
import { domainInputSchema, ownerInputSchema, userInputSchema, type DomainInput, type UserInput } from "@/lib/validation/accounts";
import { FieldError, FormError, useActionForm } from "../ui/form";
import { button, card, input, label } from "../ui/styles";
import { cell, Table } from "../ui/table";

/** The admin page's server actions (app/admin/actions.ts), handed in by the page. */
export interface AdminActions {
  createDomain: (input: DomainInput) => Promise<ActionResult<unknown>>;
  addOwner: (domain: string, email: string) => Promise<ActionResult<unknown>>;
  removeOwner: (domain: string, userId: string) => Promise<ActionResult<unknown>>;
  createUser: (input: UserInput) => Promise<ActionResult<unknown>>;
  setRole: (userId: string, role: string) => Promise<ActionResult<unknown>>;
}

/** Runs a server action that has no form (remove an owner, change a role), then refreshes the page or shows its error. */
function useAction() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const run = (action: () => Promise<ActionResult<unknown>>, then?: () => void) => {
    setError(undefined);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        const fields = Object.values(result.fieldErrors ?? {}).flat();
        setError(fields.length ? fields.join(" ") : result.error);
        return;
      }
      then?.();
      router.refresh();
    });
  };
  return { pending, error, run };
}

export function DomainsPanel({ domains, actions }: { domains: DomainSummary[]; actions: AdminActions }) {
  const { form, onSubmit, err, a11y } = useActionForm(domainInputSchema, { name: "", description: "" }, actions.createDomain);
  const { register, formState } = form;
  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate className={`${card} grid gap-3 p-4 sm:grid-cols-[1fr_2fr_auto] sm:items-start`} aria-label="Create a domain">
        <div>
          <label htmlFor="domain-name" className={label}>
            Name
          </label>
          <input placeholder="finance" className={`${input} mt-1 font-mono`} autoComplete="off" {...a11y("name", "domain-name")} {...register("name")} />
          <FieldError path="domain-name" message={err("name")} />
        </div>
        <div>
          <label htmlFor="domain-description" className={label}>
            Description
          </label>
          <input placeholder="Invoices, ledgers and budgets" className={`${input} mt-1`} {...a11y("description", "domain-description")} {...register("description")} />
          <FieldError path="domain-description" message={err("description")} />
        </div>
        <button type="submit" className={`${button.primary} sm:mt-6`} disabled={formState.isSubmitting}>
          Create domain
        </button>
      </form>
      <FormError message={formState.errors.root?.server?.message} />
      <ul className="grid gap-4 md:grid-cols-2">
        {domains.map((domain) => (
          <li key={domain.name}>
            <DomainCard domain={domain} actions={actions} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function DomainCard({ domain, actions }: { domain: DomainSummary; actions: AdminActions }) {
  const { pending, error, run } = useAction();
  const owner = useActionForm(ownerInputSchema, { email: "" }, ({ email }) => actions.addOwner(domain.name, email));
  const ownerId = `owner-${domain.name}`;
  return (
    <article className={`${card} h-full space-y-3 p-4`} aria-label={`Domain ${domain.name}`}>
      <div>
        <h3 className="font-mono text-sm font-semibold">{domain.name}</h3>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{domain.description || "No description."}</p>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {domain.productCount} product{domain.productCount === 1 ? "" : "s"}
        </p>
      </div>
      <div>
        <p className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Owners</p>
        {domain.owners.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">None yet: only admins can change its products.</p>
        ) : (
          <ul className="mt-1 space-y-1">
            {domain.owners.map((owner) => (
              <li key={owner.id} className="flex items-center justify-between gap-2 text-sm">
                <span className="truncate">{owner.email}</span>
                <button
                  type="button"
                  className={button.ghost}
                  disabled={pending}
                  onClick={() => run(() => actions.removeOwner(domain.name, owner.id))}
                  aria-label={`Remove ${owner.email} from the owners of ${domain.name}`}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <form onSubmit={owner.onSubmit} noValidate aria-label={`Add an owner to ${domain.name}`}>
        <div className="flex gap-2">
          <label htmlFor={ownerId} className="sr-only">
            Email of the new owner of {domain.name}
          </label>
          <input type="email" placeholder="user@example.com" className={input} {...owner.a11y("email", ownerId)} {...owner.form.register("email")} />
          <button type="submit" className={`${button.secondary} shrink-0 whitespace-nowrap`} disabled={pending || owner.form.formState.isSubmitting}>
            Add owner
          </button>
        </div>
        <FieldError path={ownerId} message={owner.err("email")} />
      </form>
      <FormError message={owner.form.formState.errors.root?.server?.message ?? error} />
    </article>
  );
}

export function UsersPanel({ users, currentUserId, actions }: { users: UserSummary[]; currentUserId: string; actions: AdminActions }) {
  const { pending, error, run } = useAction();
  const { form, onSubmit, err, a11y } = useActionForm(userInputSchema, { email: "", name: "", password: "", role: "member" }, actions.createUser);
  const { register, formState } = form;
  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate className={`${card} grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[1.3fr_1fr_1fr_auto_auto] lg:items-start`} aria-label="Add a user">
        <div>
          <label htmlFor="user-email" className={label}>
            Email
          </label>
          <input type="email" className={`${input} mt-1`} autoComplete="off" {...a11y("email", "user-email")} {...register("email")} />
          <FieldError path="user-email" message={err("email")} />
        </div>
        <div>
          <label htmlFor="user-name" className={label}>
            Name
          </label>
          <input className={`${input} mt-1`} autoComplete="off" {...a11y("name", "user-name")} {...register("name")} />
          <FieldError path="user-name" message={err("name")} />
        </div>
        <div>
          <label htmlFor="user-password" className={label}>
            Initial password
          </label>
          <input type="password" className={`${input} mt-1`} autoComplete="new-password" {...a11y("password", "user-password")} {...register("password")} />
          <FieldError path="user-password" message={err("password")} />
        </div>
        <div>
          <label htmlFor="user-role" className={label}>
            Role
          </label>
          <select className={`${input} mt-1`} {...a11y("role", "user-role")} {...register("role")}>
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button type="submit" className={`${button.primary} lg:mt-6`} disabled={formState.isSubmitting}>
          Add user
        </button>
      </form>
      <FormError message={formState.errors.root?.server?.message ?? error} />
      <div className={`${card} overflow-x-auto`}>
        <Table columns={["User", "Owns", "Admin"]}>
            {users.map((user) => (
              <tr key={user.id}>
                <td className={cell}>
                  <p className="font-medium">{user.name}</p>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">{user.email}</p>
                </td>
                <td className={`${cell} font-mono text-xs`}>{user.domains.join(", ") || "—"}</td>
                <td className={cell}>
                  <input
                    type="checkbox"
                    className="size-4 accent-indigo-600"
                    checked={user.role === "admin"}
                    disabled={pending || user.id === currentUserId}
                    onChange={(event) => run(() => actions.setRole(user.id, event.target.checked ? "admin" : "member"))}
                    aria-label={`${user.email} is an admin`}
                  />
                </td>
              </tr>
            ))}
        </Table>
      </div>
    </div>
  );
}
