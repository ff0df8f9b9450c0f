import type { Actor } from "../../lib/auth/guard";
import type { PendingRecord, QueryWord } from "../../lib/db/retrieval";
import type { ExactIndex } from "./exact";
import { log } from "./settings";
import type { VectorCache } from "./vector-cache";

/** A size's benchmark questions and their embeddings (questions.ts builds it once per size). */
export interface QuestionSet {
  /** Timed, each once. */
  questions: string[];
  /** Asked before the timed runs, never timed. */
  warmup: string[];
  embeddings: Map<string, number[]>;
  /** The question's words embedded one by one, for the expanded BM25 query (as the app does). */
  words: Map<string, QueryWord[]>;
  /** How many came from the generator's queries.json. */
  fromGenerator: number;
}

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
  /** The size's embedded database's folder. */
  dataDir: string;
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
  questions?: Promise<QuestionSet>;
  exact?: ExactIndex;
  /** The machine-readable summary (`--json`): each suite fills its part. */
  summary: Summary;
}

/** The `--json` line of one size; a suite that did not run leaves its part out. */
export interface Summary {
  size: number;
  /** Mean 1-minute load average during the size's run (the cores may be shared). */
  meanLoadAverage?: number;
  engines?: {
    name: string;
    loadRowsPerS: number;
    hnswBuildS: number;
    vectorP95Ms: number;
    hybridP95Ms: number;
    recallAt10: number;
    vectorP50Ms: number;
    hybridP50Ms: number;
    vectorRecallAt10: number;
    recordsLoadPerS: number;
    /** Mean 1-minute load average while this engine was measured. */
    meanLoadAverage: number;
  }[];
  /** Why the native engine is missing from `engines`, when it is. */
  enginesSkipped?: string;
  peers?: { name: string; buildS: number; p95Ms: number; recallAt10: number; p50Ms: number; meanLoadAverage: number }[];
  ingest?: { modelTextsPerS: number; ingestRecordsPerS: number; ratio: number };
  /** The query suite (the size's database): hybrid SQL and querySemantic end to end, as the app leaves the database. */
  query?: { hybridP50Ms: number; hybridP95Ms: number; recallAt10: number; endToEndP95Ms: number };
  federated?: { p95Ms: number; firstTokenP95Ms: number; discoveryP95Ms: number; discoverySqlP95Ms: number };
  /** Reads from concurrent clients, idle and while indexing and uploads run (load suite). */
  load?: {
    clients: number;
    windowS: number;
    routes: { route: string; aloneP50Ms: number; idleP50Ms: number; idleP95Ms: number; loadP50Ms: number; loadP95Ms: number; idleErrors: number; loadErrors: number }[];
    idleLoadAverage: number;
    loadLoadAverage: number;
    uploadRecordsPerS: number;
    uploadsUnderLoad: number;
    indexedUnderLoad: number;
  };
  /** Resident memory of the server's process tree (load suite), MiB. */
  memory?: { records: number; idleMiB: number; loadingPeakMiB: number; loadedMiB: number; indexingMeanMiB: number; indexingPeakMiB: number };
}

export interface Searchable {
  productId: string;
  fromCache: number;
  computed: number;
  computeSeconds: number;
  storeSeconds: number;
  hnswSeconds: number;
  /** The product's embedded records: key and text (their vectors are the cache's). */
  records: PendingRecord[];
}

/** Adds a result to the size's table and logs it. */
export function record(ctx: SizeContext, result: Result) {
  ctx.results.push(result);
  log(`${result.metric}: ${result.value}${result.note ? ` (${result.note})` : ""}`);
}
