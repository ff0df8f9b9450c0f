import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { Actor } from "@/lib/auth/guard";
import { insertDomain } from "@/lib/db/accounts";
import { parseOrThrow } from "@/lib/errors";
import { registerProduct } from "@/lib/services/products";
import { loadRecords } from "@/lib/services/records";
import { enableSemanticSearch, semanticSearchStatus } from "@/lib/services/semantic-search";
import { productInputSchema } from "@/lib/validation/product";
import type { QaQuestion } from "./score";

/**
 * The evaluation data beside the repository (../shared/eval): the two dev
 * sets of products, records and questions, and the QA set answered from both.
 * Loaded the way the portal would: register each product, ingest its records,
 * enable semantic search on its `semanticSearchFields`.
 */

export const EVAL_DIR = path.resolve(process.cwd(), "..", "shared", "eval");
export const DEV_SET_FILES = ["dev-set.json", "dev-set-2.json"] as const;
export const QA_FILE = "qa-dev.json";

export interface EvalProduct {
  domain: string;
  name: string;
  semanticSearchFields: string[];
  records: Record<string, unknown>[];
  [definition: string]: unknown;
}
export interface EvalQuestion {
  id: string;
  question: string;
  /** Gold products as `domain/name`; empty for out-of-scope questions. */
  products: string[];
  /** Gold records as `domain/name#key`. */
  records: string[];
}
export interface DevSet {
  file: string;
  products: EvalProduct[];
  questions: EvalQuestion[];
}
export interface EvalData {
  sets: DevSet[];
  qa: QaQuestion[];
}

const FILES = [...DEV_SET_FILES, QA_FILE];

/** The files that are missing from ../shared/eval. */
export const missingEvalFiles = () => FILES.filter((file) => !existsSync(path.join(EVAL_DIR, file)));

/**
 * Whether a suite needing `missing` files is skipped: on a developer's machine
 * without the data, yes; in CI (CI=true), never: the suite runs and fails there.
 */
export const skipWithout = (missing: string[]) => missing.length > 0 && process.env.CI !== "true";

const readJson = (dir: string, file: string) => JSON.parse(readFileSync(path.join(dir, file), "utf8"));

/**
 * Reads the evaluation data: ../shared/eval's three files (throws naming any
 * that is missing), or, from another folder in the same format, every
 * `qa*.json` as QA questions and every other `*.json` as a dev set.
 */
export function readEvalData(dir = EVAL_DIR): EvalData {
  if (dir === EVAL_DIR) {
    const missing = missingEvalFiles();
    if (missing.length) throw new Error(`Evaluation data missing in ${EVAL_DIR}: ${missing.join(", ")}`);
  }
  const files = dir === EVAL_DIR ? FILES : readdirSync(dir).filter((file) => file.endsWith(".json")).sort();
  const isQa = (file: string) => file.startsWith("qa");
  return {
    sets: files.filter((file) => !isQa(file)).map((file) => ({ file, ...(readJson(dir, file) as Omit<DevSet, "file">) })),
    qa: files.filter(isQa).flatMap((file) => (readJson(dir, file) as { questions: QaQuestion[] }).questions),
  };
}

const INDEXING_TIMEOUT_MS = 600_000;

/**
 * Registers every product of the sets (creating their domains), loads its
 * records and enables semantic search, then waits until every index is ready.
 */
export async function loadDevSets(actor: Actor, sets: DevSet[], log: (line: string) => void = () => {}): Promise<void> {
  const products = sets.flatMap((set) => set.products);
  for (const domain of new Set(products.map((product) => product.domain))) await insertDomain({ name: domain, description: "Evaluation set" });
  for (const { records, semanticSearchFields, ...definition } of products) {
    const { domain, name } = definition;
    await registerProduct(actor, parseOrThrow(productInputSchema, definition));
    const report = await loadRecords(actor, { domain, name }, Readable.from([Buffer.from(JSON.stringify(records))]), "application/json");
    if (report.accepted !== records.length) throw new Error(`${domain}/${name}: ${report.rejectedTotal} of ${records.length} records rejected`);
    await enableSemanticSearch(actor, { domain, name }, { fields: semanticSearchFields });
    log(`loaded ${domain}/${name} (${records.length} records)`);
  }
  const deadline = Date.now() + INDEXING_TIMEOUT_MS;
  for (const { domain, name } of products) {
    for (;;) {
      const status = await semanticSearchStatus(actor, { domain, name });
      if (status.status === "ready") break;
      if (status.status === "failed") throw new Error(`${domain}/${name}: indexing failed: ${status.error ?? "unknown error"}`);
      if (Date.now() > deadline) throw new Error(`${domain}/${name} did not finish indexing`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  log(`indexed ${products.length} products`);
}
