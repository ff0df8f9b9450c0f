import { requireRead, type Actor } from "../auth/guard";
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

export function federatedQuery(reader: Actor | null, input: FederatedQueryInput): Promise<FederatedQueryResult> {
  requireRead(reader);
  return planFederatedQuery(input);
}
