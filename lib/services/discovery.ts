import { requireRead, type Actor } from "../auth/guard";
import { AppError } from "../errors";
import { takeRateLimit } from "../runtime/rate-limit";
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

/** Federated queries a client (user, or visitor's address) may run a minute: each fans out to several products. */
export const QUERIES_PER_MINUTE = 60;

export async function federatedQuery(reader: Actor | null, input: FederatedQueryInput, client: string): Promise<FederatedQueryResult> {
  requireRead(reader);
  if (!(await takeRateLimit(`query:${client}`, { window: 60, max: QUERIES_PER_MINUTE })).allowed) {
    throw new AppError("rate_limited", `You have run ${QUERIES_PER_MINUTE} federated queries in the last minute; wait a moment and try again.`);
  }
  return planFederatedQuery(input);
}
