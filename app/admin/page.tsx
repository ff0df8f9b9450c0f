import type { Metadata } from "next";
import { NotAllowed } from "@/components/auth/not-allowed";
import { DomainsPanel, UsersPanel } from "@/components/admin/admin-panels";
import { pageActor } from "@/lib/auth/page";
import { isAdmin } from "@/lib/mesh/permissions";
import { ADMIN_PATH } from "@/lib/paths";
import { domains as listDomains, users } from "@/lib/services/accounts";
import { addOwnerAction, createDomainAction, createUserAction, removeOwnerAction, setRoleAction } from "./actions";
import { PageHeader, Section } from "@/components/ui/section";

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
      <PageHeader title="Domains and users">
          The owners of a domain register and change its products; every signed-in user reads the whole catalog.
        </PageHeader>
      <Section id="domains" title="Domains">
        <DomainsPanel domains={domains} actions={actions} />
      </Section>
      <Section id="users" title="Users">
        <UsersPanel users={allUsers} currentUserId={actor.id} actions={actions} />
      </Section>
    </div>
  );
}
