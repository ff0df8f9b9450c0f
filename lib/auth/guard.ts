// lib/auth: who is asking (sessions, API keys through better-auth) and whether they may.
import { findActor, type Actor } from "../db/accounts";
import { env } from "../env";
import { AppError } from "../errors";
import { canManageDomains, canRead, canRegisterProducts, canWriteProduct } from "../mesh/permissions";
import { auth } from "./auth";

/**
 * The one place that decides who is asking and whether they may. Every route
 * handler and server action that writes starts with:
 *
 *   const actor = await requireActor(request);       // route handler: 401 if signed out
 *   const actor = await requireActor(await headers()); // server action
 *   requireDomainWriter(actor, domain);               // 403 unless admin or owner of domain
 *
 * A request is signed in by its better-auth session cookie, or by an API key
 * sent as `Authorization: Bearer <key>` (then it acts as the key's user).
 * Reads call `requireReader`, which lets visitors in when PUBLIC_READ is on.
 * Pages use lib/auth/page.ts, which redirects visitors to the sign-in page.
 */

export type { Actor };

type Source = Request | Headers;

const headersOf = (source: Source) => (source instanceof Headers ? source : source.headers);

function bearerToken(headers: Headers): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1];
}

async function userIdOf(headers: Headers): Promise<string | null> {
  const key = bearerToken(headers);
  if (key !== undefined) {
    const result = await auth().api.verifyApiKey({ body: { key } });
    // A wrong key is an error, not an anonymous request: scripts learn at once.
    if (!result.valid || !result.key) throw new AppError("unauthorized", "The API key is invalid or was revoked");
    return result.key.referenceId;
  }
  const session = await auth().api.getSession({ headers });
  return session?.user.id ?? null;
}

/** The signed-in user of a request, or null. */
export async function currentActor(source: Source): Promise<Actor | null> {
  const userId = await userIdOf(headersOf(source));
  return userId ? findActor(userId) : null;
}

/** The signed-in user, else a 401 AppError. */
export async function requireActor(source: Source): Promise<Actor> {
  const actor = await currentActor(source);
  if (!actor) throw new AppError("unauthorized", "Sign in, or send an API key as Authorization: Bearer <key>");
  return actor;
}

/** For reads: the signed-in user, null for a visitor when PUBLIC_READ is on, else a 401 AppError. */
export async function requireReader(source: Source): Promise<Actor | null> {
  const actor = await currentActor(source);
  requireRead(actor);
  return actor;
}

/** 401 unless `reader` (null: a visitor) may read the catalog, products, records, search and chat. */
export function requireRead(reader: Actor | null): void {
  if (!canRead(reader, env().PUBLIC_READ)) throw new AppError("unauthorized", "Sign in to read the catalog");
}

/** 403 unless `actor` may change the products (records, capabilities) of `domain`. */
export function requireDomainWriter(actor: Actor, domain: string): void {
  if (!canWriteProduct(actor, domain)) {
    throw new AppError("forbidden", `Only the owners of the domain ${domain} (or an admin) may change its products`);
  }
}

/** 403 unless `actor` may register products in some domain (admins and domain owners). */
export function requireProductRegistrar(actor: Actor): void {
  if (!canRegisterProducts(actor)) throw new AppError("forbidden", "Only domain owners and admins may register data products");
}

/** 403 unless `actor` is an admin. */
export function requireAdmin(actor: Actor): void {
  if (!canManageDomains(actor)) throw new AppError("forbidden", "Only admins may manage domains and users");
}
