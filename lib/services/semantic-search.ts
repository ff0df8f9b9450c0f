import { DEFAULT_EMBEDDING_MODEL, embeddingModelInfo, embeddingModels, type EmbeddingModelInfo } from "../ai/models";
import { requireDomainWriter, requireRead, type Actor } from "../auth/guard";
import { getAccessTarget, getProduct } from "../db/products";
import { countRecords } from "../db/records";
import { countEmbeddings, deleteEmbeddings } from "../db/retrieval";
import { lexicalHealth } from "../db/lexical";
import { configureSemanticSearch, findSemanticSearch, removeSemanticSearch, setSemanticSearchHostedPii, type SemanticSearchRow } from "../db/semantic-search";
import { AppError } from "../errors";
import { withheldFields } from "../mesh/pii";
import { embeddableFieldProblems } from "../mesh/records";
import type { ProductRef } from "../paths";
import { requestIndexing } from "../search/indexer";
import { searchProduct } from "../search/product-search";
import { requireRecordReader } from "./access";
import type { SemanticQueryInput, SemanticQueryResult, SemanticSearchInput, SemanticSearchStatus } from "../validation/semantic-search";
import { inSearchLane } from "./search-lane";

/** The semantic search capability: configure, follow, disable, and query one product. */

function toStatus(row: SemanticSearchRow | null): SemanticSearchStatus {
  if (!row) return { enabled: false, model: null, fields: [], hostedPii: false, status: null, indexed: 0, total: 0 };
  return {
    enabled: true,
    model: row.model,
    fields: row.fields,
    hostedPii: row.hostedPii,
    status: row.status as SemanticSearchStatus["status"],
    indexed: row.indexed,
    total: row.total,
    ...(row.error ? { error: row.error } : {}),
  };
}

export async function semanticSearchStatus(reader: Actor | null, { domain, name }: ProductRef): Promise<SemanticSearchStatus> {
  requireRead(reader);
  const product = await getProduct(domain, name);
  return semanticSearchStatusOf(product.id);
}

/**
 * The status of a product already looked up (the product page), with its AI
 * health; `recordCount` when the caller has it (counting 100k records takes a
 * while on the embedded database).
 */
export async function semanticSearchStatusOf(productId: string, recordCount?: number): Promise<SemanticSearchStatus> {
  const row = await findSemanticSearch(productId);
  const [records, embedded, lexical] = await Promise.all([
    recordCount ?? countRecords(productId),
    countEmbeddings(productId),
    lexicalHealth(productId, row?.model ?? null),
  ]);
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

/** The embedding models an owner can choose from. */
export function availableEmbeddingModels(): EmbeddingModelInfo[] {
  return embeddingModels();
}

/**
 * Enables semantic search, or changes its model or fields (which re-embeds
 * every record). Returns `started: false` when the same configuration is
 * already in place.
 */
export async function enableSemanticSearch(
  actor: Actor,
  { domain, name }: ProductRef,
  { model = DEFAULT_EMBEDDING_MODEL, fields, hostedPii = false }: SemanticSearchInput,
): Promise<{ started: boolean; status: SemanticSearchStatus }> {
  requireDomainWriter(actor, domain);
  const info = embeddingModelInfo(model);
  const product = await getProduct(domain, name);
  const problems = embeddableFieldProblems(product.schema, fields);
  if (problems.length) throw new AppError("validation", `Cannot embed: ${problems.join("; ")}`, { fields: problems });
  const piiFields = withheldFields(product.schema, hostedPii);
  const hostedPiiProblems = !model.startsWith("local/") ? fields.filter((field) => piiFields.has(field)) : [];
  if (hostedPiiProblems.length) {
    const message = `${hostedPiiProblems.join(", ")} ${hostedPiiProblems.length === 1 ? "is" : "are"} marked PII: embedding with the hosted model ${model} sends them out; allow PII for hosted models or pick other fields`;
    throw new AppError("validation", `Cannot embed: ${message}`, { fields: [message] });
  }

  const current = await findSemanticSearch(product.id);
  const sameIndex = current && current.model === model && current.fields.join("\n") === fields.join("\n") && current.status !== "failed";
  if (sameIndex && current.hostedPii === hostedPii) return { started: false, status: toStatus(current) };
  if (sameIndex) {
    const row = await setSemanticSearchHostedPii(product.id, hostedPii, {
      actor,
      domain,
      name,
      changes: { "semantic-search": { from: { hostedPii: current.hostedPii }, to: { hostedPii } } },
    });
    return { started: false, status: toStatus(row) };
  }
  if (current) await deleteEmbeddings(product.id);
  const row = await configureSemanticSearch(
    product.id,
    { model, dimensions: info.dimensions, fields, hostedPii, total: await countRecords(product.id) },
    {
      actor,
      domain,
      name,
      changes: {
        "semantic-search": {
          from: current ? { model: current.model, fields: current.fields, hostedPii: current.hostedPii } : null,
          to: { model, fields, hostedPii },
        },
      },
    },
  );
  void requestIndexing(product.id);
  return { started: true, status: toStatus(row) };
}

export async function disableSemanticSearch(actor: Actor, { domain, name }: ProductRef): Promise<void> {
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

/** Ask one product's records a question in plain language (a restricted product's: only its readers). */
export async function querySemantic(reader: Actor | null, { domain, name }: ProductRef, query: SemanticQueryInput): Promise<SemanticQueryResult> {
  requireRead(reader);
  await requireRecordReader(reader, await getAccessTarget(domain, name));
  return inSearchLane(() => searchProduct({ domain, name }, query));
}
