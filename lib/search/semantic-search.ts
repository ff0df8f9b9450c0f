import { DEFAULT_EMBEDDING_MODEL, embeddingModelInfo } from "../ai/models";
import { embedQuery } from "../ai/query-embedding";
import { AppError, parseOrThrow } from "../errors";
import { getProduct, getProductId } from "../db/products";
import { recordsByKeys } from "../db/records";
import { countEmbeddings, deleteEmbeddings, highlights, matchRecords } from "../db/retrieval";
import { lexicalHealth } from "../db/lexical";
import {
  configureSemanticSearch,
  countRecords,
  findSemanticSearch,
  removeSemanticSearch,
  updateSemanticSearch,
  type SemanticSearchRow,
} from "../db/semantic-search";
import { requireDomainWriter, type Actor } from "../auth/guard";
import { embeddableFieldProblems } from "../mesh/records";
import {
  semanticQueryInputSchema,
  semanticSearchInputSchema,
  type SemanticQueryResult,
  type SemanticSearchStatus,
} from "../validation/semantic-search";
import { requestIndexing } from "./indexer";
import { embedQuestionWords } from "./query-words";
import { bestOfViews, clauseViews } from "./ranking";

/** The semantic search capability: configure, follow, disable, and query. */

function toStatus(row: SemanticSearchRow | null): SemanticSearchStatus {
  if (!row) return { enabled: false, model: null, fields: [], status: null, indexed: 0, total: 0 };
  return {
    enabled: true,
    model: row.model,
    fields: row.fields,
    status: row.status as SemanticSearchStatus["status"],
    indexed: row.indexed,
    total: row.total,
    ...(row.error ? { error: row.error } : {}),
  };
}

export async function semanticSearchStatus(domain: string, name: string): Promise<SemanticSearchStatus> {
  const product = await getProduct(domain, name);
  return semanticSearchStatusOf(product.id);
}

export async function semanticSearchStatusOf(productId: string): Promise<SemanticSearchStatus> {
  const row = await findSemanticSearch(productId);
  const [records, embedded, lexical] = await Promise.all([countRecords(productId), countEmbeddings(productId), lexicalHealth(productId, row?.model ?? null)]);
  const ready = row?.status === "ready";
  const signals: NonNullable<SemanticSearchStatus["health"]>["signals"] = [];
  if (ready && embedded > 0) signals.push("vector");
  if (lexical.documents > 0) signals.push("bm25");
  if (ready && lexical.embeddedWords > 0) signals.push("expanded-bm25");
  return {
    ...toStatus(row),
    health: {
      records,
      embedded,
      coverage: records ? embedded / records : 0,
      lexical: lexical.documents,
      vocabulary: lexical.vocabulary,
      words: lexical.words,
      embeddedWords: lexical.embeddedWords,
      signals,
      lastIndexedAt: row?.indexedAt?.toISOString() ?? null,
      lexicalUpdatedAt: lexical.updatedAt,
    },
  };
}

/**
 * Enables semantic search, or changes its model or fields (which re-embeds
 * every record). Returns `started: false` when the same configuration is
 * already in place.
 */
export async function enableSemanticSearch(
  actor: Actor,
  domain: string,
  name: string,
  input: unknown,
): Promise<{ started: boolean; status: SemanticSearchStatus }> {
  requireDomainWriter(actor, domain);
  const { model = DEFAULT_EMBEDDING_MODEL, fields } = parseOrThrow(semanticSearchInputSchema, input);
  const info = embeddingModelInfo(model);
  const product = await getProduct(domain, name);
  const problems = embeddableFieldProblems(product.schema, fields);
  if (problems.length) throw new AppError("validation", `Cannot embed: ${problems.join("; ")}`, { fields: problems });

  const current = await findSemanticSearch(product.id);
  if (current && current.model === model && current.fields.join("\n") === fields.join("\n") && current.status !== "failed") {
    return { started: false, status: toStatus(current) };
  }
  if (current) await deleteEmbeddings(product.id);
  const row = await configureSemanticSearch(
    product.id,
    { model, dimensions: info.dimensions, fields, total: await countRecords(product.id) },
    {
      actor,
      domain,
      name,
      changes: { "semantic-search": { from: current ? { model: current.model, fields: current.fields } : null, to: { model, fields } } },
    },
  );
  void requestIndexing(product.id);
  return { started: true, status: toStatus(row) };
}

export async function disableSemanticSearch(actor: Actor, domain: string, name: string): Promise<void> {
  requireDomainWriter(actor, domain);
  const product = await getProduct(domain, name);
  const current = await findSemanticSearch(product.id);
  await removeSemanticSearch(product.id, {
    actor,
    domain,
    name,
    changes: { "semantic-search": { from: current ? { model: current.model, fields: current.fields } : null, to: null } },
  });
  await deleteEmbeddings(product.id);
}

/** Called after records were loaded: embeds the new and changed ones. */
export async function recordsChanged(productId: string): Promise<void> {
  const current = await findSemanticSearch(productId);
  if (!current) return;
  await updateSemanticSearch(productId, current.generation, { status: "indexing", total: await countRecords(productId) });
  void requestIndexing(productId);
}

export async function querySemantic(domain: string, name: string, input: unknown): Promise<SemanticQueryResult> {
  const { question, k } = parseOrThrow(semanticQueryInputSchema, input);
  const productId = await getProductId(domain, name);
  const config = await findSemanticSearch(productId);
  if (!config) {
    throw new AppError("conflict", `Semantic search is not enabled for ${domain}/${name}; its owner can enable it on the product page.`);
  }
  if (config.status !== "ready") {
    throw new AppError(
      "conflict",
      config.status === "failed"
        ? `Semantic search of ${domain}/${name} failed to index: ${config.error ?? "unknown error"}`
        : `Semantic search of ${domain}/${name} is still indexing (${config.indexed} of ${config.total} records); try again shortly.`,
    );
  }
  const views = clauseViews(question);
  const matches = bestOfViews(await Promise.all(views.map((view) => searchView(productId, config.model, view, k))), k);
  const keys = matches.map((match) => match.key);
  const [records, marked] = await Promise.all([recordsByKeys(productId, keys), highlights(productId, keys, question)]);
  return {
    model: config.model,
    fields: config.fields,
    results: matches.flatMap((match) => {
      const record = records.get(match.key);
      if (!record) return [];
      const highlight = marked.get(match.key);
      return [
        {
          key: match.key,
          score: match.score,
          similarity: match.similarity,
          lexical: match.lexical,
          record: record.data,
          ...(highlight ? { highlights: highlight } : {}),
        },
      ];
    }),
  };
}

/** One view of the question: its embedding, and its words' embeddings for the query expansion. */
async function searchView(productId: string, model: string, view: string, k: number) {
  const [embedding, words] = await Promise.all([embedQuery(model, view), embedQuestionWords(model, view)]);
  return matchRecords(productId, embedding, view, k, { words });
}
