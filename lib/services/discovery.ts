import { requireRead, type Actor } from "../auth/guard";
import { env } from "../env";
import { enforceRateLimit } from "../runtime/rate-limit";
import { answerQuestion, productAnswer } from "../search/answers";
import { discoverProducts } from "../search/discovery";
import { federatedQuery as planFederatedQuery } from "../search/federated";
import type { AnsweredQueryResult } from "../validation/answers";
import type { DiscoveredProduct, DiscoveryQuery, FederatedQueryInput } from "../validation/discovery";
import { recordAccess } from "./access";
import { inSearchLane } from "./search-lane";

/**
 * Questions across products: discovery ranks the products for a question;
 * the federated query asks the relevant ones (or the named ones) in parallel,
 * and the answer engine answers it with facts beside: each consulted product
 * gains the plan it was read with and its own answer, the question its whole
 * answer. The engines are lib/search/discovery.ts, federated.ts and answers.ts.
 * Each gets what the reader may read of the records (./access.ts): restricted
 * products the reader may not read are ranked by metadata and reported as
 * restricted, never searched, planned or quoted.
 */

export async function discover(reader: Actor | null, query: DiscoveryQuery): Promise<{ products: DiscoveredProduct[] }> {
  requireRead(reader);
  const access = await recordAccess(reader);
  return inSearchLane(() => discoverProducts(query, access));
}

/**
 * `client` is whom the rate limit counts (a user, or a visitor's address): QUERY_REQUESTS_PER_MINUTE
 * federated queries a minute, as each fans out to several products.
 */
export async function federatedQuery(reader: Actor | null, input: FederatedQueryInput, client: string): Promise<AnsweredQueryResult> {
  requireRead(reader);
  const max = env().QUERY_REQUESTS_PER_MINUTE;
  await enforceRateLimit(`query:${client}`, { window: 60, max }, `You have run ${max} federated queries in the last minute; wait a moment and try again.`);
  const access = await recordAccess(reader);
  const [federated, engine] = await inSearchLane(() =>
    Promise.all([planFederatedQuery(input, access), answerQuestion({ question: input.question, access, products: input.products })]),
  );
  const outcomes = new Map(engine.outcomes.map((outcome) => [`${outcome.product.domain}/${outcome.product.name}`, outcome]));
  return {
    ...federated,
    products: federated.products.map((product) => {
      const outcome = outcomes.get(`${product.domain}/${product.name}`);
      const answer = outcome && productAnswer(outcome);
      return { ...product, ...(outcome ? { plan: outcome.plan } : {}), ...(answer ? { answer } : {}) };
    }),
    answer: engine.answer,
  };
}
