import "server-only";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { env } from "../env";
import { processSingleton } from "../runtime/singleton";

/**
 * A supabase-js client for the configured Supabase project, or undefined.
 * Used to call the database's SQL functions through PostgREST (`rpc`) when
 * the portal runs on Supabase; the service-role key stays on the server.
 */

export function supabase(): SupabaseClient | undefined {
  return processSingleton<SupabaseClient | null>("supabase", () => {
    const { SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY } = env();
    return SUPABASE_URL && SUPABASE_SERVICE_ROLE_KEY
      ? createClient(SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, { auth: { persistSession: false, autoRefreshToken: false } })
      : null;
  }) ?? undefined;
}
