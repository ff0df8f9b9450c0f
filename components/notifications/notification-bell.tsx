"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { NOTIFICATIONS_PATH } from "@/lib/paths";
import { unreadNotifications } from "./api";

/** The header's link to the notifications, with the unread count (polled every 30 s and on every page change). */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const pathname = usePathname();
  const { data } = useQuery({
    queryKey: ["notifications", "unread", pathname],
    queryFn: unreadNotifications,
    initialData: { notifications: [], unread: initialUnread },
    initialDataUpdatedAt: 0,
    refetchInterval: 30_000,
  });
  const unread = data.unread;
  return (
    <Link
      href={NOTIFICATIONS_PATH}
      className="relative rounded-md px-2 py-1.5 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white"
      aria-label={unread ? `Notifications: ${unread} unread` : "Notifications"}
    >
      <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread ? (
        <span data-testid="unread-count" className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold leading-5 text-white">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
