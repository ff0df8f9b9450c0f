import "server-only";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { env } from "../env";

/**
 * A supabase-js client for the configured Supabase project, or undefined.
 * Used to call the database's SQL functions through PostgREST (`rpc`) when
 * the portal runs on Supabase; the service-role key stays on the server.
 */

const holder = globalThis as unknown as { meshPortalSupabase?: SupabaseClient | null };

export function supabase(): SupabaseClient | undefined {
  if (holder.meshPortalSupabase === undefined) {
    const { SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY } = env();
    holder.meshPortalSupabase =
      SUPABASE_URL && SUPABASE_SERVICE_ROLE_KEY
        ? createClient(SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, { auth: { persistSession: false, autoRefreshToken: false } })
        : null;
  }
  return holder.meshPortalSupabase ?? undefined;
}
