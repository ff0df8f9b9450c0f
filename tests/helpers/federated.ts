import type { FederatedProduct } from "@/lib/validation/discovery";

/** A product as the federated query returns it: ops/tickets, answered, searched on `subject`, with these results. */
export const ticketsProduct = (results: FederatedProduct["results"]): FederatedProduct => ({
  domain: "ops",
  name: "tickets",
  title: "Support Tickets",
  score: 0.03,
  status: "ok",
  fields: ["subject"],
  durationMs: 5,
  results,
});
