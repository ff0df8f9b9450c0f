import Link from "next/link";
import { viewer } from "@/lib/auth/page";
import { canRegisterProducts, isAdmin } from "@/lib/mesh/permissions";
import { unreadNotificationCount } from "@/lib/services/notifications";
import { UserMenu } from "./auth/user-menu";
import { NotificationBell } from "./notifications/notification-bell";
import { ThemeToggle } from "./theme-toggle";
import { CATALOG_PATH, CHAT_PATH, NEW_PRODUCT_PATH, OPENAPI_PATH, REQUESTS_PATH, SIGN_IN_PATH } from "@/lib/paths";

const navLink =
  "rounded-md px-3 py-1.5 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white";

/** `signOut`: the server action of the account menu (app/sign-in/actions.ts). */
export async function SiteHeader({ signOut }: { signOut: () => Promise<void> }) {
  const actor = await viewer();
  const unread = actor ? await unreadNotificationCount(actor) : 0;
  return (
    <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/80">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4 sm:px-6">
        <Link href={CATALOG_PATH} className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white">
            ◇
          </span>
          Mesh Portal
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1 text-sm">
          <Link href={CATALOG_PATH} className={navLink}>
            Catalog
          </Link>
          <Link href={CHAT_PATH} className={navLink}>
            Ask
          </Link>
          {actor && canRegisterProducts(actor) ? (
            <Link href={NEW_PRODUCT_PATH} className={navLink}>
              Register
            </Link>
          ) : null}
          {actor ? (
            <Link href={REQUESTS_PATH} className={navLink}>
              Requests
            </Link>
          ) : null}
          <a href={OPENAPI_PATH} className={navLink}>
            API
          </a>
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <ThemeToggle />
          {actor ? <NotificationBell initialUnread={unread} /> : null}
          {actor ? (
            <UserMenu
              name={actor.name}
              email={actor.email}
              role={isAdmin(actor) ? "Admin" : actor.domains.length ? `Owner of ${actor.domains.join(", ")}` : "Analyst"}
              isAdmin={isAdmin(actor)}
              signOut={signOut}
            />
          ) : (
            <Link href={SIGN_IN_PATH} className={navLink}>
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
