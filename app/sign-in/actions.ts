"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/lib/auth/auth";
import { SIGN_IN_PATH } from "@/lib/paths";

/** The account menu's sign-out: ends the session (better-auth clears its cookies through nextCookies), then the sign-in page. */
export async function signOutAction() {
  await auth().api.signOut({ headers: await headers() });
  redirect(SIGN_IN_PATH);
}
