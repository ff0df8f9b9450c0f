import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { env } from "../env";
import { currentActor, type Actor } from "./guard";
import { signInPath } from "../paths";

/** The signed-in user of the page being rendered, or null (looked up once per request). */
export const viewer = cache(async (): Promise<Actor | null> => currentActor(await headers()));

/**
 * For pages: the signed-in user. A visitor is sent to the sign-in page, which
 * returns to `path` afterwards; with `allowVisitors` (read-only pages) and
 * PUBLIC_READ on, a visitor gets null instead.
 */
export async function pageActor(path: string): Promise<Actor>;
export async function pageActor(path: string, options: { allowVisitors: true }): Promise<Actor | null>;
export async function pageActor(path: string, options?: { allowVisitors: true }): Promise<Actor | null> {
  const actor = await viewer();
  if (actor || (options?.allowVisitors && env().PUBLIC_READ)) return actor;
  redirect(signInPath(path));
}
