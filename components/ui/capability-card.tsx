"use client";

import type { ReactNode } from "react";
import { button, card } from "./styles";

/** The state shown in a capability card's corner. */
export type CapabilityState = { text: string; tone: "off" | "on" | "busy" | "failed" };

const TONES: Record<CapabilityState["tone"], string> = {
  off: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
  on: "bg-emerald-50 text-emerald-700 dark:bg-emerald-500/10 dark:text-emerald-400",
  busy: "bg-sky-50 text-sky-700 dark:bg-sky-500/10 dark:text-sky-300",
  failed: "bg-red-50 text-red-700 dark:bg-red-500/10 dark:text-red-300",
};

export function StateBadge({ state }: { state: CapabilityState }) {
  return <span className={`shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ${TONES[state.tone]}`}>{state.text}</span>;
}

/**
 * The shell of an AI capability on the product page (semantic search,
 * inference): title, purpose and state; then its settings, or, for those
 * who may not change it, that it is off.
 */
export function CapabilityCard({ title, purpose, state, children }: { title: string; purpose: string; state: CapabilityState; children: ReactNode }) {
  return (
    <div className={`${card} p-4`}>
      <div className="flex items-start justify-between gap-3">
        <div>
          <h3 className="font-medium">{title}</h3>
          <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">{purpose}</p>
        </div>
        <StateBadge state={state} />
      </div>
      {children}
    </div>
  );
}

/** What a reader who may not change the capability sees while it is off. */
export function OffForReaders({ domain }: { domain: string }) {
  return <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">Off. An owner of the {domain} domain can switch it on.</p>;
}

/** "Disable", after the user confirms `warning`. */
export function DisableButton({ warning, pending, onDisable }: { warning: string; pending: boolean; onDisable: () => void }) {
  return (
    <button
      type="button"
      className={button.ghost}
      disabled={pending}
      onClick={() => {
        if (window.confirm(warning)) onDisable();
      }}
    >
      Disable
    </button>
  );
}

/** An action's failure under the capability's buttons. */
export function ActionError({ error }: { error: Error | null | undefined }) {
  return error ? (
    <p role="alert" className="text-red-600 dark:text-red-400">
      {error.message}
    </p>
  ) : null;
}
