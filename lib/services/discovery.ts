import { requireRead, type Actor } from "../auth/guard";
import { consume, queryLimit } from "../runtime/rate-limit";
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

/** `client` is whom the rate limit (QUERY_REQUESTS_PER_MINUTE) counts: a user id, or a visitor's address. */
export async function federatedQuery(reader: Actor | null, input: FederatedQueryInput, client: string): Promise<FederatedQueryResult> {
  requireRead(reader);
  await consume(queryLimit(), client);
  return planFederatedQuery(input);
}
