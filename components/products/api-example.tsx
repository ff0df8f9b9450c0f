"use client";

import { useState } from "react";
import { button, card } from "../ui/styles";

export function ApiExample({ url }: { url: string }) {
  // A key from the settings page, in the MESH_PORTAL_KEY environment variable.
  const command = `curl -s -H "Authorization: Bearer $MESH_PORTAL_KEY" ${url}`;
  const [copied, setCopied] = useState(false);
  return (
    <div className={`${card} flex items-center gap-3 p-3`}>
      <pre className="flex-1 overflow-x-auto rounded-md bg-zinc-950 px-3 py-2 font-mono text-xs text-zinc-100">
        <code>{command}</code>
      </pre>
      <button
        type="button"
        className={button.secondary}
        onClick={async () => {
          await navigator.clipboard.writeText(command);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        }}
      >
        <span aria-live="polite">{copied ? "Copied" : "Copy"}</span>
      </button>
    </div>
  );
}
