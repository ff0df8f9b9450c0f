import type { Metadata } from "next";
import { ApiKeys } from "@/components/auth/api-keys";
import { sectionTitle } from "@/components/ui/styles";
import { apiKeys } from "@/lib/accounts";
import { pageActor } from "@/lib/auth/page";
import { isAdmin } from "@/lib/mesh/permissions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await pageActor("/settings");
  const keys = await apiKeys(actor);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Signed in as {actor.email} ·{" "}
          {isAdmin(actor) ? "admin" : actor.domains.length ? `owner of ${actor.domains.join(", ")}` : "analyst"}
        </p>
      </div>
      <section className="space-y-3" aria-labelledby="keys-title">
        <h2 id="keys-title" className={sectionTitle}>
          API keys
        </h2>
        <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          A script sends a key as <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code> and acts as you,
          with your rights. Revoke a key you no longer use.
        </p>
        <ApiKeys keys={keys} />
      </section>
    </div>
  );
}
