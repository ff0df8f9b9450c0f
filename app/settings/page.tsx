import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeys } from "@/components/auth/api-keys";
import { FollowButton } from "@/components/notifications/follow-button";
import { WebhooksPanel } from "@/components/notifications/webhooks-panel";
import { pageActor } from "@/lib/auth/page";
import { isAdmin } from "@/lib/mesh/permissions";
import { productPath, SETTINGS_PATH } from "@/lib/paths";
import { apiKeys } from "@/lib/services/accounts";
import { subscriptions } from "@/lib/services/notifications";
import { manageableWebhooks } from "@/lib/services/webhooks";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";
import { PageHeader, Section } from "@/components/ui/section";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await pageActor(SETTINGS_PATH);
  const [keys, followed, { domains, webhooks }] = await Promise.all([apiKeys(actor), subscriptions(actor), manageableWebhooks(actor)]);
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
      <Section id="following" title="Products you follow">
        {followed.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">You follow no product. Follow one on its page to be notified of its events.</p>
        ) : (
          <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" aria-label="Products you follow">
            {followed.map((product) => (
              <li key={`${product.domain}/${product.name}`} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
                <div className="min-w-0">
                  <Link href={productPath(product)} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                    {product.title}
                  </Link>
                  <span className="ml-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">
                    {product.domain}/{product.name} · since {product.since.slice(0, 10)}
                  </span>
                </div>
                <FollowButton product={product} initial />
              </li>
            ))}
          </ul>
        )}
      </Section>
      {domains.length > 0 ? (
        <Section id="webhooks" title="Webhooks of your domains">
          <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
            Every event of a domain&rsquo;s products is POSTed as JSON to its webhooks, signed with{" "}
            <code className="font-mono text-xs">X-Mesh-Signature: sha256=&lt;HMAC&gt;</code>; failed deliveries are tried again with backoff.
          </p>
          <WebhooksPanel domains={domains} webhooks={webhooks} />
        </Section>
      ) : null}
    </div>
  );
}
