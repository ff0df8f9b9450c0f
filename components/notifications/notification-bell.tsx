"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { NOTIFICATIONS_PATH } from "@/lib/paths";
import { unreadNotifications } from "./api";

const POLL_MS = 30_000;

/**
 * The header's link to the notifications, with the unread count: the server's
 * (new on every render of the header, e.g. after marking read), then read
 * again on every page change and every 30 s. Plain fetches: the header is on
 * every page, and most pages need no query cache.
 */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const pathname = usePathname();
  const [unread, setUnread] = useState(initialUnread);
  const [rendered, setRendered] = useState(initialUnread);
  if (initialUnread !== rendered) {
    setRendered(initialUnread);
    setUnread(initialUnread);
  }
  useEffect(() => {
    let current = true;
    const poll = () => unreadNotifications().then((data) => current && setUnread(data.unread), () => {});
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
    // A new server count restarts it: a poll already under way may have read an older one.
  }, [pathname, initialUnread]);
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
