import type { Metadata } from "next";
import { ApiKeys } from "@/components/auth/api-keys";
import { pageActor } from "@/lib/auth/page";
import { isAdmin } from "@/lib/mesh/permissions";
import { SETTINGS_PATH } from "@/lib/paths";
import { apiKeys } from "@/lib/services/accounts";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";
import { PageHeader, Section } from "@/components/ui/section";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await pageActor(SETTINGS_PATH);
  const keys = await apiKeys(actor);
  return (
    <div className="space-y-8">
      <PageHeader title="Settings">
          Signed in as {actor.email} ·{" "}
          {isAdmin(actor) ? "admin" : actor.domains.length ? `owner of ${actor.domains.join(", ")}` : "analyst"}
        </PageHeader>
      <Section id="keys" title="API keys">
        <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          A script sends a key as <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code> and acts as you,
          with your rights. Revoke a key you no longer use.
        </p>
        <ApiKeys keys={keys} actions={{ create: createApiKeyAction, revoke: revokeApiKeyAction }} />
      </Section>
    </div>
  );
}
