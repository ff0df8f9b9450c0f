import type { Metadata } from "next";
import { AccessRequestItem } from "@/components/access/access-panel";
import { PageHeader, Section } from "@/components/ui/section";
import { card } from "@/components/ui/styles";
import { pageActor } from "@/lib/auth/page";
import { REQUESTS_PATH } from "@/lib/paths";
import { requestsView } from "@/lib/services/access";
import type { AccessRequest } from "@/lib/validation/access";

export const metadata: Metadata = { title: "Access requests" };

const list = `${card} divide-y divide-zinc-200 dark:divide-zinc-800`;
const empty = "text-sm text-zinc-500 dark:text-zinc-400";

/** The Requests view: requests to decide (the products of the domains one owns; all for admins), and one's own. */
export default async function RequestsPage() {
  const actor = await pageActor(REQUESTS_PATH);
  const { toDecide, mine } = await requestsView(actor);
  const pending = toDecide.filter((request) => request.status === "pending");
  const decided = toDecide.filter((request) => request.status !== "pending");
  return (
    <div className="space-y-8">
      <PageHeader title="Access requests">Requests to read restricted products&apos; records: those you decide, and your own.</PageHeader>
      <Section id="to-decide" title={`To decide (${pending.length})`}>
        {pending.length ? (
          <ul className={list} aria-label="Requests to decide">
            {pending.map((request) => (
              <AccessRequestItem key={request.id} request={request} canDecide showProduct />
            ))}
          </ul>
        ) : (
          <p className={empty}>Nothing waits for your decision.</p>
        )}
      </Section>
      <Section id="mine" title="Your requests">
        {mine.length ? <Requests requests={mine} /> : <p className={empty}>You have asked for no access. Restricted products offer it on their page.</p>}
      </Section>
      {decided.length ? (
        <Section id="decided" title="Decided">
          <Requests requests={decided} />
        </Section>
      ) : null}
    </div>
  );
}

function Requests({ requests }: { requests: AccessRequest[] }) {
  return (
    <ul className={list}>
      {requests.map((request) => (
        <AccessRequestItem key={request.id} request={request} canDecide={false} showProduct />
      ))}
    </ul>
  );
}
