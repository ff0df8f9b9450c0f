import { requireRead, type Actor } from "../auth/guard";
import { env } from "../env";
import { enforceRateLimit } from "../runtime/rate-limit";
import { discoverProducts } from "../search/discovery";
import { federatedQuery as planFederatedQuery } from "../search/federated";
import type { DiscoveredProduct, DiscoveryQuery, FederatedQueryInput, FederatedQueryResult } from "../validation/discovery";

/**
 * Questions across products: discovery ranks the products for a question;
 * the federated query asks the relevant ones (or the named ones) in parallel.
 * The engines are lib/search/discovery.ts and lib/search/federated.ts.
 */

export function discover(reader: Actor | null, query: DiscoveryQuery): Promise<{ products: DiscoveredProduct[] }> {
  requireRead(reader);
  return discoverProducts(query);
}

/**
 * `client` is whom the rate limit counts (a user, or a visitor's address): QUERY_REQUESTS_PER_MINUTE
 * federated queries a minute, as each fans out to several products.
 */
export async function federatedQuery(reader: Actor | null, input: FederatedQueryInput, client: string): Promise<FederatedQueryResult> {
  requireRead(reader);
  const max = env().QUERY_REQUESTS_PER_MINUTE;
  await enforceRateLimit(`query:${client}`, { window: 60, max }, `You have run ${max} federated queries in the last minute; wait a moment and try again.`);
  return planFederatedQuery(input);
}
