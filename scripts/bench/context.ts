import type { Actor } from "../../lib/auth/guard";
import { log } from "./settings";
import type { VectorCache } from "./vector-cache";

/** What a suite works with for one corpus size, and the results it records. */

export interface Result {
  suite: string;
  metric: string;
  /** As printed. */
  value: string;
  note: string;
  /** Numbers for the JSON file. */
  data: Record<string, unknown>;
}

export interface ProductDef {
  domain: string;
  name: string;
  title: string;
  description: string;
  owner: string;
  tags: string[];
  schema: { primaryKey: string; fields: { name: string }[] };
  sla: Record<string, unknown>;
  semanticSearchFields: string[];
}

export interface SizeContext {
  size: number;
  corpusDir: string;
  product: ProductDef;
  recordsFile: string;
  results: Result[];
  cache: VectorCache;
  dimensions: number;
  /** What the size ran on: embedded PGlite, or the PostgreSQL server of --database-url. */
  database?: string;
  /** The size's database, over the Postgres wire protocol (for the app server the pages suite starts). */
  databaseUrl?: string;
  /** The admin the benchmark acts as (the app's use cases check rights). */
  actor?: Actor;
  /** Memoised steps shared by suites. */
  loaded?: Promise<{ productId: string; seconds: number }>;
  searchable?: Promise<Searchable>;
}

export interface Searchable {
  productId: string;
  fromCache: number;
  computed: number;
  computeSeconds: number;
  storeSeconds: number;
  hnswSeconds: number;
}

/** Adds a result to the size's table and logs it. */
export function record(ctx: SizeContext, result: Result) {
  ctx.results.push(result);
  log(`${result.metric}: ${result.value}${result.note ? ` (${result.note})` : ""}`);
}
