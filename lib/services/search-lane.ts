import { env } from "../env";
import { AppError } from "../errors";
import { QueueFull, withKeyedLimit } from "../runtime/concurrency";

/** Seconds a refused question is told to wait. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The lane costly reads take: discovery, federated queries, chat answers and searches by meaning
 * embed the question and run many statements each, and the embedded database runs one statement
 * at a time for every request. At most SEARCH_CONCURRENCY of them run at once per server, the next
 * SEARCH_QUEUE wait in turn, the rest are refused with a 503, so that the catalog's and the
 * product pages' few cheap statements wait behind a couple of questions, not behind all of them.
 */
export async function inSearchLane<T>(work: () => Promise<T>): Promise<T> {
  const { SEARCH_CONCURRENCY, SEARCH_QUEUE } = env();
  try {
    return await withKeyedLimit("search", SEARCH_CONCURRENCY, work, SEARCH_QUEUE);
  } catch (error) {
    if (!(error instanceof QueueFull)) throw error;
    throw new AppError("unavailable", `The portal is answering ${SEARCH_CONCURRENCY + SEARCH_QUEUE} questions at the moment; ask again in a few seconds.`, undefined, {
      retryAfter: RETRY_AFTER_SECONDS,
    });
  }
}
