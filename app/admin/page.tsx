import type { Metadata } from "next";
import { NotAllowed } from "@/components/auth/not-allowed";
import { DomainsPanel, UsersPanel } from "@/components/admin/admin-panels";
import { sectionTitle } from "@/components/ui/styles";
import { pageActor } from "@/lib/auth/page";
import { isAdmin } from "@/lib/mesh/permissions";
import { ADMIN_PATH } from "@/lib/paths";
import { domains as listDomains, users } from "@/lib/services/accounts";
import { addOwnerAction, createDomainAction, createUserAction, removeOwnerAction, setRoleAction } from "./actions";

const actions = {
  createDomain: createDomainAction,
  addOwner: addOwnerAction,
  removeOwner: removeOwnerAction,
  createUser: createUserAction,
  setRole: setRoleAction,
};

export const metadata: Metadata = { title: "Domains and users" };

export default async function AdminPage() {
  const actor = await pageActor(ADMIN_PATH);
  if (!isAdmin(actor)) return <NotAllowed title="Domains and users" message="Only admins manage domains, their owners and users." />;
  const [domains, allUsers] = await Promise.all([listDomains(actor), users(actor)]);
  return (
    <div className="space-y-10">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Domains and users</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          The owners of a domain register and change its products; every signed-in user reads the whole catalog.
        </p>
      </div>
      <section className="space-y-3" aria-labelledby="domains-title">
        <h2 id="domains-title" className={sectionTitle}>
          Domains
        </h2>
        <DomainsPanel domains={domains} actions={actions} />
      </section>
      <section className="space-y-3" aria-labelledby="users-title">
        <h2 id="users-title" className={sectionTitle}>
          Users
        </h2>
        <UsersPanel users={allUsers} currentUserId={actor.id} actions={actions} />
      </section>
    </div>
  );
}
