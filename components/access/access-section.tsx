import Link from "next/link";
import { Section } from "@/components/ui/section";
import { card } from "@/components/ui/styles";
import { productPath, signInPath, type ProductRef } from "@/lib/paths";
import type { AccessView } from "@/lib/services/access";
import { AccessRequestItem, GrantItem, RequestAccessForm } from "./access-panel";

const list = `${card} divide-y divide-zinc-200 dark:divide-zinc-800`;
const empty = "text-sm text-zinc-500 dark:text-zinc-400";

/** The access section of a restricted product's page (`#access`): asking for access, or deciding it. */
export function AccessSection({ product, view, signedIn }: { product: ProductRef; view: AccessView; signedIn: boolean }) {
  const pending = view.requests.filter((request) => request.status === "pending");
  const decided = view.requests.filter((request) => request.status !== "pending");
  return (
    <Section id="access" title="Access">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Restricted: its records are read only by the owners of the domain {product.domain}, admins, and the users they grant access, for a number of days.
      </p>
      {!signedIn ? (
        <p className={empty}>
          <Link href={signInPath(productPath(product))} className="text-indigo-600 hover:underline dark:text-indigo-400">
            Sign in
          </Link>{" "}
          to request access.
        </p>
      ) : null}
      {view.canDecide ? (
        <div className="space-y-4">
          <h3 className="text-sm font-semibold">Pending requests</h3>
          {pending.length ? (
            <ul className={list} aria-label="Pending requests">
              {pending.map((request) => (
                <AccessRequestItem key={request.id} request={request} canDecide />
              ))}
            </ul>
          ) : (
            <p className={empty}>No pending requests.</p>
          )}
          <h3 className="text-sm font-semibold">Grants</h3>
          {view.grants.length ? (
            <ul className={list} aria-label="Grants">
              {view.grants.map((grant) => (
                <GrantItem key={grant.id} product={product} grant={grant} canRevoke />
              ))}
            </ul>
          ) : (
            <p className={empty}>Nobody holds a grant.</p>
          )}
          {decided.length ? (
            <>
              <h3 className="text-sm font-semibold">Decided requests</h3>
              <ul className={list} aria-label="Decided requests">
                {decided.map((request) => (
                  <AccessRequestItem key={request.id} request={request} canDecide={false} />
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : signedIn ? (
        <div className="space-y-4">
          {view.grants.some((grant) => grant.state === "active") ? (
            <ul className={list} aria-label="Your access">
              {view.grants
                .filter((grant) => grant.state === "active")
                .map((grant) => (
                  <GrantItem key={grant.id} product={product} grant={grant} canRevoke={false} />
                ))}
            </ul>
          ) : null}
          {view.requests.length ? (
            <ul className={list} aria-label="Your requests">
              {view.requests.map((request) => (
                <AccessRequestItem key={request.id} request={request} canDecide={false} />
              ))}
            </ul>
          ) : null}
          {view.canRequest ? <RequestAccessForm product={product} /> : null}
        </div>
      ) : null}
    </Section>
  );
}
