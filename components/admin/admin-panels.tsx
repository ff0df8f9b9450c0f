"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/action-result";
import type { DomainSummary, UserSummary } from "@/lib/services/accounts";
import { button, card, input, label } from "../ui/styles";

/** The admin page's server actions (app/admin/actions.ts), handed in by the page. */
export interface AdminActions {
  createDomain: (input: unknown) => Promise<ActionResult<unknown>>;
  addOwner: (domain: string, email: string) => Promise<ActionResult<unknown>>;
  removeOwner: (domain: string, userId: string) => Promise<ActionResult<unknown>>;
  createUser: (input: unknown) => Promise<ActionResult<unknown>>;
  setRole: (userId: string, role: string) => Promise<ActionResult<unknown>>;
}

/** Runs a server action, then refreshes the page or shows its error. */
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

function ErrorText({ error }: { error?: string }) {
  return error ? (
    <p role="alert" className="text-sm text-red-600 dark:text-red-400">
      {error}
    </p>
  ) : null;
}

const fields = (event: FormEvent<HTMLFormElement>) => Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;

export function DomainsPanel({ domains, actions }: { domains: DomainSummary[]; actions: AdminActions }) {
  const { pending, error, run } = useAction();
  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const { name, description } = fields(event);
    run(() => actions.createDomain({ name, description }), () => form.reset());
  }
  return (
    <div className="space-y-4">
      <form onSubmit={onCreate} className={`${card} grid gap-3 p-4 sm:grid-cols-[1fr_2fr_auto] sm:items-end`} aria-label="Create a domain">
        <div>
          <label htmlFor="domain-name" className={label}>
            Name
          </label>
          <input id="domain-name" name="name" required placeholder="finance" className={`${input} mt-1 font-mono`} autoComplete="off" />
        </div>
        <div>
          <label htmlFor="domain-description" className={label}>
            Description
          </label>
          <input id="domain-description" name="description" placeholder="Invoices, ledgers and budgets" className={`${input} mt-1`} />
        </div>
        <button type="submit" className={button.primary} disabled={pending}>
          Create domain
        </button>
      </form>
      <ErrorText error={error} />
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
  function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    run(() => actions.addOwner(domain.name, fields(event).email ?? ""), () => form.reset());
  }
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
      <form onSubmit={onAdd} className="flex gap-2" aria-label={`Add an owner to ${domain.name}`}>
        <label htmlFor={`owner-${domain.name}`} className="sr-only">
          Email of the new owner of {domain.name}
        </label>
        <input id={`owner-${domain.name}`} name="email" type="email" required placeholder="user@example.com" className={input} />
        <button type="submit" className={`${button.secondary} shrink-0 whitespace-nowrap`} disabled={pending}>
          Add owner
        </button>
      </form>
      <ErrorText error={error} />
    </article>
  );
}

export function UsersPanel({ users, currentUserId, actions }: { users: UserSummary[]; currentUserId: string; actions: AdminActions }) {
  const { pending, error, run } = useAction();
  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const { email, name, password, role } = fields(event);
    run(() => actions.createUser({ email, name, password, role }), () => form.reset());
  }
  return (
    <div className="space-y-4">
      <form onSubmit={onCreate} className={`${card} grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[1.3fr_1fr_1fr_auto_auto] lg:items-end`} aria-label="Add a user">
        <div>
          <label htmlFor="user-email" className={label}>
            Email
          </label>
          <input id="user-email" name="email" type="email" required className={`${input} mt-1`} autoComplete="off" />
        </div>
        <div>
          <label htmlFor="user-name" className={label}>
            Name
          </label>
          <input id="user-name" name="name" className={`${input} mt-1`} autoComplete="off" />
        </div>
        <div>
          <label htmlFor="user-password" className={label}>
            Initial password
          </label>
          <input id="user-password" name="password" type="password" required minLength={8} className={`${input} mt-1`} autoComplete="new-password" />
        </div>
        <div>
          <label htmlFor="user-role" className={label}>
            Role
          </label>
          <select id="user-role" name="role" defaultValue="member" className={`${input} mt-1`}>
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button type="submit" className={button.primary} disabled={pending}>
          Add user
        </button>
      </form>
      <ErrorText error={error} />
      <div className={`${card} overflow-x-auto`}>
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">User</th>
              <th scope="col" className="px-4 py-2 font-medium">Owns</th>
              <th scope="col" className="px-4 py-2 font-medium">Admin</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {users.map((user) => (
              <tr key={user.id}>
                <td className="px-4 py-2">
                  <p className="font-medium">{user.name}</p>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">{user.email}</p>
                </td>
                <td className="px-4 py-2 font-mono text-xs">{user.domains.join(", ") || "—"}</td>
                <td className="px-4 py-2">
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
          </tbody>
        </table>
      </div>
    </div>
  );
}
