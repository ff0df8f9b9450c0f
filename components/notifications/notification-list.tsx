"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { productPath } from "@/lib/paths";
import type { Notification } from "@/lib/validation/notifications";
import { button, card } from "../ui/styles";
import { markRead } from "./api";

const TYPE_LABELS: Record<Notification["type"], string> = {
  "sla.breached": "SLA breached",
  "sla.recovered": "SLA recovered",
  "quality.failed": "Quality rule failed",
  "schema.changed": "Schema changed",
  "product.deprecated": "Deprecated",
  "access.decided": "Access decided",
};

const tone = (type: Notification["type"]) =>
  type === "sla.recovered"
    ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300"
    : type === "schema.changed" || type === "access.decided"
      ? "bg-sky-100 text-sky-800 dark:bg-sky-500/15 dark:text-sky-300"
      : "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300";

/** The notifications page's list: newest first, unread ones marked; opening one marks it read. */
export function NotificationList({ notifications, unread }: { notifications: Notification[]; unread: number }) {
  const router = useRouter();
  // The refresh renders the list and the header's count anew.
  const mark = useMutation({ mutationFn: markRead, onSuccess: () => router.refresh() });
  if (notifications.length === 0) {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">No notifications yet. Follow a product on its page to hear of its SLA breaches, failed quality rules, schema changes and deprecation.</p>;
  }
  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{unread ? `${unread} unread` : "All read"}</p>
        <button type="button" className={button.secondary} disabled={!unread || mark.isPending} onClick={() => mark.mutate({ all: true })}>
          Mark all read
        </button>
      </div>
      <ul className={`${card} divide-y divide-zinc-200 dark:divide-zinc-800`} aria-label="Notifications">
        {notifications.map((item) => (
          <li key={item.id} className={`flex flex-wrap items-start gap-3 px-4 py-3 text-sm ${item.readAt ? "" : "bg-indigo-50/60 dark:bg-indigo-500/5"}`}>
            <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${tone(item.type)}`}>{TYPE_LABELS[item.type]}</span>
            <div className="min-w-0 flex-1">
              <Link
                href={productPath(item.product)}
                className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                onClick={() => (item.readAt ? undefined : mark.mutate({ ids: [item.id] }))}
              >
                {item.product.title}
              </Link>
              <span className="ml-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">
                {item.product.domain}/{item.product.name}
              </span>
              <p className="mt-0.5 text-zinc-700 dark:text-zinc-300">{item.summary}</p>
            </div>
            <time dateTime={item.at} className="whitespace-nowrap text-xs text-zinc-500 dark:text-zinc-400">
              {item.at.slice(0, 16).replace("T", " ")} UTC
            </time>
            {item.readAt ? null : <span className="sr-only">unread</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
