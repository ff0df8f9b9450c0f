import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { card } from "@/components/ui/styles";
import { ssoProvider } from "@/lib/auth/auth";
import { DEMO_ACCOUNTS } from "@/lib/auth/demo";
import { viewer } from "@/lib/auth/page";
import { safeNextPath } from "@/lib/paths";
import { demoAccountsSeeded } from "@/lib/services/accounts";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[]; error?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await viewer()) redirect(next);
  const demo = await demoAccountsSeeded();

  return (
    <div className="mx-auto max-w-sm space-y-6 py-8">
      <div className="text-center">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in to Mesh Portal</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Find, register and query the data products of your mesh.</p>
      </div>
      {params.error ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
          Single sign-on failed. Try again, or ask your admin.
        </p>
      ) : null}
      <div className={`${card} p-6`}>
        <SignInForm next={next} sso={ssoProvider()} />
      </div>
      {demo ? (
        <section aria-labelledby="demo-title" className="rounded-xl border border-dashed border-zinc-300 p-4 text-sm dark:border-zinc-700">
          <h2 id="demo-title" className="font-medium">
            Demo accounts
          </h2>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">This installation runs with demo data. Try each role:</p>
          <ul className="mt-3 space-y-2">
            {DEMO_ACCOUNTS.map((account) => (
              <li key={account.email}>
                <span className="font-mono text-xs">{account.email}</span> /{" "}
                <span className="font-mono text-xs">{account.password}</span>
                <p className="text-xs text-zinc-500 dark:text-zinc-400">{account.label}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
