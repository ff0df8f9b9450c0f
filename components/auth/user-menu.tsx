"use client";

import Link from "next/link";
import { useRef } from "react";
import { useFormStatus } from "react-dom";
import { ADMIN_PATH, SETTINGS_PATH } from "@/lib/paths";

type Props = { name: string; email: string; role: string; isAdmin: boolean; signOut: () => Promise<void> };

const item = "block w-full rounded-md px-3 py-2 text-left text-sm text-zinc-700 hover:bg-zinc-100 focus-visible:bg-zinc-100 focus-visible:outline-none dark:text-zinc-200 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800";

/**
 * The signed-in user's menu: who they are, settings, admin, sign out. A
 * <details> element: keyboard-usable as is. Signing out is a server action,
 * so the auth client stays off the pages (it is the sign-in page's).
 */
export function UserMenu({ name, email, role, isAdmin, signOut }: Props) {
  const menu = useRef<HTMLDetailsElement>(null);
  const close = () => menu.current?.removeAttribute("open");

  return (
    <details ref={menu} className="relative" onKeyDown={(event) => event.key === "Escape" && close()}>
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden"
        aria-label={`Account menu of ${name}`}
      >
        <span aria-hidden className="grid size-7 place-items-center rounded-full bg-indigo-100 text-xs font-semibold uppercase text-indigo-700 dark:bg-indigo-500/20 dark:text-indigo-300">
          {(name || email).slice(0, 1)}
        </span>
        <span className="hidden max-w-40 truncate sm:inline">{name || email}</span>
      </summary>
      <div className="absolute right-0 z-30 mt-2 w-64 rounded-xl border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
        <div className="px-3 py-2">
          <p className="truncate text-sm font-medium">{name}</p>
          <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{email}</p>
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{role}</p>
        </div>
        <div className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
        <Link href={SETTINGS_PATH} className={item} onClick={close}>
          Settings and API keys
        </Link>
        {isAdmin ? (
          <Link href={ADMIN_PATH} className={item} onClick={close}>
            Domains and users
          </Link>
        ) : null}
        <form action={signOut}>
          <SignOutButton />
        </form>
      </div>
    </details>
  );
}

function SignOutButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={item} disabled={pending}>
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
