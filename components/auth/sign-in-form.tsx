"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth/client";
import { button, input, label } from "../ui/styles";
import { SIGN_IN_PATH } from "@/lib/paths";

type Props = { next: string; sso: { id: string; name: string } | null };

function messageFor(error: { status: number; message?: string }): string {
  if (error.status === 429) return "Too many sign-in attempts. Wait a minute and try again.";
  if (error.status === 401) return "Wrong email or password.";
  return error.message || "Could not sign in. Please try again.";
}

/** Email + password, and single sign-on when the installation configured it. */
export function SignInForm({ next, sso }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const { error: failure } = await authClient.signIn.email({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    if (failure) {
      setPending(false);
      setError(messageFor(failure));
      return;
    }
    router.replace(next);
    router.refresh();
  }

  async function signInWithSso(providerId: string) {
    setPending(true);
    setError(undefined);
    const { error: failure } = await authClient.signIn.social({ provider: providerId, callbackURL: next, errorCallbackURL: SIGN_IN_PATH });
    if (failure) {
      setPending(false);
      setError(messageFor(failure));
    }
  }

  return (
    <div className="space-y-6">
      {error ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
          {error}
        </p>
      ) : null}
      <form onSubmit={onSubmit} className="space-y-4" aria-label="Sign in">
        <div>
          <label htmlFor="email" className={label}>
            Email
          </label>
          <input id="email" name="email" type="email" autoComplete="username" required autoFocus className={`${input} mt-1`} />
        </div>
        <div>
          <label htmlFor="password" className={label}>
            Password
          </label>
          <input id="password" name="password" type="password" autoComplete="current-password" required className={`${input} mt-1`} />
        </div>
        <button type="submit" className={`${button.primary} w-full`} disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {sso ? (
        <>
          <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-zinc-400">
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" /> or <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          </div>
          <button type="button" className={`${button.secondary} w-full`} disabled={pending} onClick={() => signInWithSso(sso.id)}>
            Sign in with {sso.name}
          </button>
        </>
      ) : null}
    </div>
  );
}
