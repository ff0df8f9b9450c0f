import type { Metadata } from "next";
import { NotificationList } from "@/components/notifications/notification-list";
import { PageHeader } from "@/components/ui/section";
import { pageActor } from "@/lib/auth/page";
import { NOTIFICATIONS_PATH } from "@/lib/paths";
import { notifications } from "@/lib/services/notifications";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const actor = await pageActor(NOTIFICATIONS_PATH);
  const { notifications: items, unread } = await notifications(actor, { unread: false, limit: 100 });
  return (
    <div className="space-y-6">
      <PageHeader title="Notifications">Events of the products you follow: SLA breaches and recoveries, failed quality rules, schema changes, deprecations; and the decisions on your access requests.</PageHeader>
      <NotificationList notifications={items} unread={unread} />
    </div>
  );
}
