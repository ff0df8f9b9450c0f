import type { Plan } from "../../validation/answers";
import type { Planned } from "./planner";

/**
 * Follow-up questions ("which of those did we win?", "and the total?",
 * "only the ones in Austin") refine the previous turn's plan: its filters
 * stay, the new ones are added (a new condition on the same field replaces
 * the old one), and the operation changes only when the follow-up asks for
 * another one. Pure functions.
 */

const ANAPHORA = /\b(those|these|them|they|ones|of which|such|that list|the same)\b/i;
const OPENERS = /^\s*(and|but|only|just|what about|how about|now|then|also|or|same|excluding|except)\b/i;

export function isFollowUp(question: string): boolean {
  const words = question.trim().split(/\s+/).length;
  return ANAPHORA.test(question) || OPENERS.test(question) || words <= 3;
}

/** Whether the follow-up names an operation of its own ("how many", "total", "average", "largest", "list"). */
const ASKS_OPERATION = /\b(how many|how much|total|sum|combined|average|mean|highest|lowest|largest|smallest|biggest|most|least|which|list|show|what)\b/i;

export function refinePlan(previous: Plan, followUp: Planned, question: string): Plan {
  const current = followUp.plan;
  const replaced = new Set(current.filters.map((filter) => `${filter.field}:${filter.op === "ne" || filter.op === "not_in" ? "not" : "is"}`));
  const kept = previous.filters.filter((filter) => !replaced.has(`${filter.field}:${filter.op === "ne" || filter.op === "not_in" ? "not" : "is"}`));
  const ownOperation = ASKS_OPERATION.test(question) && !(current.operation === "lookup" && previous.operation !== "lookup");
  const operation = ownOperation ? current.operation : previous.operation;
  const field = ownOperation ? (current.field ?? (operation === previous.operation ? previous.field : undefined)) : previous.field;
  const needsField = ["sum", "avg", "min", "max"].includes(operation);
  return {
    ...previous,
    operation,
    ...(field ?? (needsField ? previous.field : undefined) ? { field: field ?? previous.field } : { field: undefined }),
    fields: ownOperation && current.fields.length ? current.fields : previous.fields,
    filters: [...kept, ...current.filters].slice(0, 12),
    sort: current.sort ?? (ownOperation && current.operation !== previous.operation ? undefined : previous.sort),
    limit: ownOperation ? current.limit : previous.limit,
    search: `${previous.search} ${question}`.slice(-1000),
    decimals: current.decimals ?? previous.decimals,
    confidence: Math.max(previous.confidence, current.confidence),
    notes: [`refined the previous question's plan`, ...current.notes].slice(0, 12),
  };
}
