import { parseOrThrow } from "../errors";
import { federatedQuery } from "../search/federated";
import type { AnsweredQueryResult } from "../validation/answers";
import { federatedQueryInputSchema } from "../validation/discovery";
import { answerQuestion, productAnswer } from "./engine";

/**
 * POST /api/query: the federated query (per product, its top records) and
 * the answer engine side by side — each consulted product gains the plan it
 * was read with and its own answer, and the question its whole answer.
 */
export async function answeredQuery(input: unknown): Promise<AnsweredQueryResult> {
  const parsed = parseOrThrow(federatedQueryInputSchema, input);
  const [federated, engine] = await Promise.all([federatedQuery(parsed), answerQuestion({ question: parsed.question, products: parsed.products })]);
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
